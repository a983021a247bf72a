using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>One case of a reply: the argument paths that select it, its type and its variant.</summary>
internal sealed record ReplyCase(IReadOnlyList<string> Present, ReplyType Type, string? Variant)
{
    public override string ToString()
        => (Present.Count == 0 ? "" : $"[{string.Join(' ', Present)}] ") + Type + (Variant is null ? "" : $" ({Variant})");
}
