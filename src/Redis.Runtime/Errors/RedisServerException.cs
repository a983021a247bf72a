namespace Redis;

/// <summary>
/// An error reply from the server (<c>-ERR ...</c>, <c>-WRONGTYPE ...</c>, a RESP3 bulk error).
/// The connection stays usable. Thrown by <c>Do</c>/<c>Receive</c> for a top-level error reply;
/// an error inside an array (for example one EXEC slot) is an instance of this type in that array.
/// </summary>
public sealed class RedisServerException : RedisException
{
    /// <summary>Creates the exception from the error text the server sent (without the leading <c>-</c>).</summary>
    public RedisServerException(string message) : base(message)
    {
        int space = message.IndexOf(' ');
        Prefix = space < 0 ? message : message[..space];
    }

    /// <summary>The first word of the error, such as <c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c> or <c>MOVED</c>.</summary>
    public string Prefix { get; }
}
