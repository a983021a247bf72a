namespace Redis;

/// <summary>A typed call: the reply is read with <typeparamref name="TParser"/> straight into <typeparamref name="TResult"/>.</summary>
internal sealed class TypedOperation<TParser, TResult> : PipelineOperation<TResult>
    where TParser : struct, IRespParser<TResult>
{
    private TParser _parser;

    public static TypedOperation<TParser, TResult> Rent(in TParser parser)
    {
        TypedOperation<TParser, TResult> operation = OperationCache<TypedOperation<TParser, TResult>>.Rent();
        operation._parser = parser;
        return operation;
    }

    public override BulkTarget BulkTarget => ParserBulkTarget<TParser>.Value;

    private protected override TResult Parse(ReadOnlySpan<byte> frame, DetachedBulk? bulk)
    {
        var reader = new RespReader(frame, bulk);
        TParser parser = _parser;
        return parser.Parse(ref reader);
    }

    private protected override void ReturnToCache()
    {
        _parser = default;
        OperationCache<TypedOperation<TParser, TResult>>.Return(this);
    }
}
