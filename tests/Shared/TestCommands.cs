namespace Redis.Tests.Shared;

/// <summary>
/// Hand-written typed commands in exactly the shape the generator emits (a readonly struct that
/// writes itself), for tests of the typed path over Conn, pooled connections, logging connections and
/// RedisClient. One file, compiled into each test project that needs it.
/// </summary>
public static class TestCommands
{
    /// <summary>SET key value.</summary>
    public readonly struct Set(string key, string value) : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("SET"u8);
            writer.WriteBulkString(key);
            writer.WriteBulkString(value);
        }
    }

    /// <summary>GET key.</summary>
    public readonly struct Get(string key) : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("GET"u8);
            writer.WriteBulkString(key);
        }
    }

    /// <summary>INCR key.</summary>
    public readonly struct Incr(string key) : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("INCR"u8);
            writer.WriteBulkString(key);
        }
    }

    /// <summary>INCRBY key by.</summary>
    public readonly struct IncrBy(string key, long by) : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("INCRBY"u8);
            writer.WriteBulkString(key);
            writer.WriteBulkString(by);
        }
    }

    /// <summary>BLPOP key timeout.</summary>
    public readonly struct BlPop(string key, double timeoutSeconds) : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("BLPOP"u8);
            writer.WriteBulkString(key);
            writer.WriteBulkString(timeoutSeconds);
        }
    }

    /// <summary>A command whose argument check fails after part of it was written.</summary>
    public readonly struct Throwing : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("GET"u8);
            throw new InvalidOperationException("argument check failed part-way");
        }
    }

    /// <summary>ECHO value.</summary>
    public readonly struct Echo(string value) : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("ECHO"u8);
            writer.WriteBulkString(value);
        }
    }

    /// <summary>MULTI.</summary>
    public readonly struct Multi : IRespCommand
    {
        /// <inheritdoc />
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(1);
            writer.WriteBulkString("MULTI"u8);
        }
    }
}
