using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>One call of the reply-verification table.</summary>
internal sealed record Probe(string Command, object?[] Args)
{
    /// <summary>Argument paths the call sends that select a reply case (see when.present).</summary>
    public IReadOnlyList<string> Present { get; init; } = [];

    /// <summary>Commands run first on the same connection; their replies are ignored, errors fail the probe.</summary>
    public IReadOnlyList<object?[]> Setup { get; init; } = [];

    /// <summary>Run after <see cref="Setup"/>, before the call.</summary>
    public Action<ProbeContext>? Before { get; init; }

    /// <summary>Computes the arguments at run time (ids, payloads).</summary>
    public Func<ProbeContext, object?[]>? ArgsFactory { get; init; }

    /// <summary>Runs on a connection of its own, closed afterwards (MULTI, AUTH, QUIT, SUBSCRIBE, ...).</summary>
    public bool OwnConnection { get; init; }

    /// <summary>An extra condition on the reply, to make sure the probe produced the case it is meant to (nil, ...).</summary>
    public Func<object?, bool>? Expect { get; init; }

    public Probe When(params string[] paths) => this with { Present = paths };

    public Probe After(params object?[][] steps) => this with { Setup = steps };

    public Probe Own() => this with { OwnConnection = true };

    public Probe Nil() => this with { Expect = static r => r is null };

    public Probe NotNil() => this with { Expect = static r => r is not null };

    public override string ToString() => Command + (Args.Length == 0 ? "" : " " + string.Join(' ', Args.Select(a => a is string s ? (s.Length > 24 ? s[..24] + "..." : s) : Convert.ToString(a, CultureInfo.InvariantCulture))));
}
