using System.Collections.Generic;
using Redis.Generators.Model;

namespace Redis.Generators.Planning;

/// <summary>Building blocks for write plans, shared by both planners (user-declared and spec-driven members).</summary>
internal static class WriteSteps
{
    public static WriteNode WithToken(string? token, WriteNode node)
        => token is null ? node : Sequence(new List<WriteNode> { new TokenNode(token), node });

    public static void AddWithToken(List<WriteNode> output, string? token, WriteNode node)
    {
        if (token is not null) output.Add(new TokenNode(token));
        output.Add(node);
    }

    public static WriteNode Sequence(List<WriteNode> items)
    {
        var flat = new List<WriteNode>();
        foreach (WriteNode item in items)
        {
            if (item is SequenceNode sequence) flat.AddRange(sequence.Items);
            else flat.Add(item);
        }
        return flat.Count == 1 ? flat[0] : new SequenceNode(flat.ToEquatableArray());
    }
}
