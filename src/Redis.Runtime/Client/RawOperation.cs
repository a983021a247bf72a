namespace Redis;

/// <summary>An untyped call (<see cref="RedisClient.Do"/>): the reply as the object tree <see cref="IConn.Do"/> returns; an error reply is thrown.</summary>
internal sealed class RawOperation : PipelineOperation<object?>
{
    public static RawOperation Rent() => OperationCache<RawOperation>.Rent();

    public override BulkTarget BulkTarget => BulkTarget.Exact;

    private protected override object? Parse(ReadOnlySpan<byte> frame, DetachedBulk? bulk)
    {
        var reader = new RespReader(frame, bulk);
        object? reply = reader.ReadObject();
        return reply is RedisServerException error ? throw error : reply;
    }

    private protected override void ReturnToCache() => OperationCache<RawOperation>.Return(this);
}
