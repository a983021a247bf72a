using System.Net.Sockets;
using System.Text;

namespace Redis.Testing;

/// <summary>
/// Talks just enough RESP over a raw socket to see whether a server answers (PING) and what it is
/// (INFO server). Deliberately independent of the client under test.
/// </summary>
internal static class RespProbe
{
    private static readonly byte[] PingCommand = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    /// <summary>
    /// Sends PING and returns the first reply line ("+PONG", or an error such as "-NOAUTH ..." which also
    /// proves the server is up), or <see langword="null"/> when nothing answers within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<string?> TryPingAsync(string? host, int port, string? unixSocketPath, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            using var socket = await ConnectAsync(host, port, unixSocketPath, cts.Token).ConfigureAwait(false);
            await socket.SendAsync(PingCommand, SocketFlags.None, cts.Token).ConfigureAwait(false);
            using var reader = new LineReader(socket);
            return await reader.ReadLineAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs AUTH (when a password is given) and INFO server; returns the INFO text, or <see langword="null"/>
    /// when the server does not answer or refuses.
    /// </summary>
    public static async Task<string?> TryInfoServerAsync(string host, int port, string? user, string? password, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            using var socket = await ConnectAsync(host, port, null, cts.Token).ConfigureAwait(false);
            var request = new StringBuilder();
            if (password is not null)
            {
                if (string.IsNullOrEmpty(user))
                {
                    AppendCommand(request, "AUTH", password);
                }
                else
                {
                    AppendCommand(request, "AUTH", user, password);
                }
            }

            AppendCommand(request, "INFO", "server");
            await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToString()), SocketFlags.None, cts.Token).ConfigureAwait(false);
            using var reader = new LineReader(socket);
            if (password is not null)
            {
                // Whatever AUTH answers, the INFO reply follows: -NOAUTH when the password was needed and wrong.
                if (await reader.ReadLineAsync(cts.Token).ConfigureAwait(false) is null)
                {
                    return null;
                }
            }

            var header = await reader.ReadLineAsync(cts.Token).ConfigureAwait(false);
            if (header is null || header.Length < 2 || (header[0] != '$' && header[0] != '='))
            {
                return null;
            }

            var length = int.Parse(header.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            var body = await reader.ReadBytesAsync(length, cts.Token).ConfigureAwait(false);
            return body is null ? null : Encoding.UTF8.GetString(body);
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads the value of <paramref name="field"/> from INFO text ("field:value" lines).</summary>
    public static string? InfoField(string info, string field)
    {
        foreach (var line in info.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return trimmed[(field.Length + 1)..];
            }
        }

        return null;
    }

    private static void AppendCommand(StringBuilder sb, params string[] parts)
    {
        sb.Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            sb.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }
    }

    private static async Task<Socket> ConnectAsync(string? host, int port, string? unixSocketPath, CancellationToken ct)
    {
        Socket socket;
        if (unixSocketPath is not null)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(unixSocketPath), ct).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return socket;
        }

        socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host ?? "127.0.0.1", port, ct).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>Buffered reader of CRLF-terminated lines and fixed-length bulk payloads.</summary>
    private sealed class LineReader(Socket socket) : IDisposable
    {
        private const int MaxLine = 64 * 1024;
        private readonly byte[] _buffer = new byte[8192];
        private readonly MemoryStream _pending = new();

        public void Dispose() => _pending.Dispose();

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            while (true)
            {
                var data = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
                var index = data.IndexOf("\r\n"u8);
                if (index >= 0)
                {
                    var line = Encoding.UTF8.GetString(data[..index]);
                    Consume(index + 2);
                    return line;
                }

                if (_pending.Length > MaxLine || !await FillAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        public async Task<byte[]?> ReadBytesAsync(int count, CancellationToken ct)
        {
            while (_pending.Length < count + 2)
            {
                if (!await FillAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }
            }

            var result = _pending.GetBuffer().AsSpan(0, count).ToArray();
            Consume(count + 2);
            return result;
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            var read = await socket.ReceiveAsync(_buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _pending.Seek(0, SeekOrigin.End);
            _pending.Write(_buffer, 0, read);
            return true;
        }

        private void Consume(int count)
        {
            var rest = _pending.GetBuffer().AsSpan(count, (int)_pending.Length - count).ToArray();
            _pending.SetLength(0);
            _pending.Write(rest);
        }
    }
}
