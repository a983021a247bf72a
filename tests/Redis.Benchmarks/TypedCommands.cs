namespace Redis.Benchmarks;

// Hand-written command structs of the shape the source generator emits: they write RESP straight
// into the writer (no object[], no boxing). Used by the typed benchmarks and the harness.

/// <summary><c>SET key value</c>.</summary>
public readonly struct SetCommand(string key, byte[] value) : IRespCommand
{
    public void WriteTo(RespWriter writer)
    {
        writer.WriteArrayHeader(3);
        writer.WriteBulkString("SET"u8);
        writer.WriteBulkString(key);
        writer.WriteBulkString(value);
    }
}

/// <summary><c>GET key</c>.</summary>
public readonly struct GetCommand(string key) : IRespCommand
{
    public void WriteTo(RespWriter writer)
    {
        writer.WriteArrayHeader(2);
        writer.WriteBulkString("GET"u8);
        writer.WriteBulkString(key);
    }
}

/// <summary><c>INCR key</c>.</summary>
public readonly struct IncrCommand(string key) : IRespCommand
{
    public void WriteTo(RespWriter writer)
    {
        writer.WriteArrayHeader(2);
        writer.WriteBulkString("INCR"u8);
        writer.WriteBulkString(key);
    }
}

/// <summary>
/// Reads a bulk reply into a buffer the caller owns and returns its length (-1 for nil): the way to
/// read large values without a new array per call.
/// </summary>
public readonly struct CopyToBufferParser(byte[] buffer) : IRespParser<int>
{
    public int Parse(ref RespReader reader)
    {
        if (!reader.TryReadBulkSpan(out ReadOnlySpan<byte> value)) return -1;
        value.CopyTo(buffer);
        return value.Length;
    }
}
