namespace Redis;

/// <summary>
/// Where a parser wants a large top-level bulk reply read to (see <see cref="BulkTarget"/>), decided once
/// per parser type: a pooled array for <see cref="LeaseParser"/>, an exact-length array for the parsers
/// whose result is the payload as a <c>byte[]</c> (<see cref="BytesParser"/>, <see cref="ObjectParser"/>),
/// and the decoder's buffer for every other parser. A parser that composes others (nullable, not-nil and
/// similar wrappers) takes the choice of the first type argument that has one.
/// </summary>
internal static class ParserBulkTarget<TParser>
{
    public static readonly BulkTarget Value = ParserBulkTarget.Of(typeof(TParser));
}

/// <summary>The computation behind <see cref="ParserBulkTarget{TParser}"/>.</summary>
internal static class ParserBulkTarget
{
    public static BulkTarget Of(Type parser)
    {
        if (parser == typeof(LeaseParser)) return BulkTarget.Pooled;
        if (parser == typeof(BytesParser) || parser == typeof(ObjectParser)) return BulkTarget.Exact;
        if (parser.IsGenericType)
        {
            foreach (Type argument in parser.GetGenericArguments())
            {
                BulkTarget target = Of(argument);
                if (target != BulkTarget.Buffer) return target;
            }
        }
        return BulkTarget.Buffer;
    }
}
