namespace Redis;

/// <summary>The RESP2 and RESP3 reply types, named after their first byte.</summary>
public enum RespType : byte
{
    /// <summary>Not a valid reply type byte.</summary>
    None = 0,
    /// <summary><c>+</c> simple string.</summary>
    SimpleString = (byte)'+',
    /// <summary><c>-</c> simple error.</summary>
    SimpleError = (byte)'-',
    /// <summary><c>:</c> integer.</summary>
    Integer = (byte)':',
    /// <summary><c>$</c> bulk string (or RESP2 null bulk).</summary>
    BulkString = (byte)'$',
    /// <summary><c>*</c> array (or RESP2 null array).</summary>
    Array = (byte)'*',
    /// <summary><c>_</c> RESP3 null.</summary>
    Null = (byte)'_',
    /// <summary><c>,</c> RESP3 double.</summary>
    Double = (byte)',',
    /// <summary><c>#</c> RESP3 boolean.</summary>
    Boolean = (byte)'#',
    /// <summary><c>(</c> RESP3 big number.</summary>
    BigNumber = (byte)'(',
    /// <summary><c>!</c> RESP3 bulk error.</summary>
    BulkError = (byte)'!',
    /// <summary><c>=</c> RESP3 verbatim string.</summary>
    VerbatimString = (byte)'=',
    /// <summary><c>%</c> RESP3 map.</summary>
    Map = (byte)'%',
    /// <summary><c>~</c> RESP3 set.</summary>
    Set = (byte)'~',
    /// <summary><c>&gt;</c> RESP3 push.</summary>
    Push = (byte)'>',
    /// <summary><c>|</c> RESP3 attribute (metadata that precedes a reply).</summary>
    Attribute = (byte)'|',
}
