using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

internal static class ProbeText
{
    public static byte[] U8(this string text) => Encoding.UTF8.GetBytes(text);
}
