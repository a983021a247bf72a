namespace Redis.Testing;

/// <summary>An error reply (<c>-ERR ...</c>, <c>-MOVED ...</c>), kept as a value so callers can decide.</summary>
internal sealed record RespErrorReply(string Message)
{
    public override string ToString() => "-" + Message;
}
