using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>What a probe can use besides its arguments: its connection, the protocol, extra connections.</summary>
internal sealed record ProbeContext(IConn Conn, int Protocol, Func<IConn> DialExtra);
