using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Redis.Testing;

/// <summary>
/// A minimal RESP2 request/reply client for driving test servers (cluster set-up, migrations, health checks).
/// Deliberately independent of the client under test, so a bug there cannot hide a broken test set-up.
/// Replies: simple and bulk strings as <see cref="string"/>, integers as <see cref="long"/>, arrays as
/// <c>object?[]</c>, nil as <see langword="null"/>, errors as <see cref="RespErrorReply"/>.
/// One command at a time; every call is bounded by its timeout.
/// </summary>
internal sealed class RespClient : IDisposable
{
    private const int MaxDepth = 32;
    private const int MaxLength = 64 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RespClient(Socket socket, string address)
    {
        _socket = socket;
        Address = address;
    }

    public string Address { get; }

    public static async Task<RespClient> ConnectAsync(int port, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port} did not accept a connection within {timeout.TotalSeconds:0.#} s"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RespClient(socket, string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"));
    }

    /// <summary>Connects, runs one command and disconnects.</summary>
    public static async Task<object?> RunAsync(int port, TimeSpan timeout, CancellationToken ct, params string[] args)
    {
        using var client = await ConnectAsync(port, timeout, ct).ConfigureAwait(false);
        return await client.ExecuteAsync(timeout, ct, args).ConfigureAwait(false);
    }

    /// <summary>Connects, authenticates with <c>AUTH password</c> when a password is given, runs one command and disconnects; an AUTH error is returned as the reply.</summary>
    public static async Task<object?> RunAsync(int port, string? password, TimeSpan timeout, CancellationToken ct, params string[] args)
    {
        using var client = await ConnectAsync(port, timeout, ct).ConfigureAwait(false);
        if (password is not null)
        {
            var auth = await client.ExecuteAsync(timeout, ct, "AUTH", password).ConfigureAwait(false);
            if (auth is RespErrorReply)
            {
                return auth;
            }
        }

        return await client.ExecuteAsync(timeout, ct, args).ConfigureAwait(false);
    }

    public async Task<object?> ExecuteAsync(TimeSpan timeout, CancellationToken ct, params string[] args)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _socket.SendAsync(Encode(args), SocketFlags.None, cts.Token).ConfigureAwait(false);
            return await ReadValueAsync(0, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{Address} did not answer {Describe(args)} within {timeout.TotalSeconds:0.#} s");
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The command's first words, for messages (arguments may be long key lists).</summary>
    public static string Describe(string[] args) =>
        string.Join(' ', args.Take(args.Length > 0 && IsContainer(args[0]) ? 2 : 1));

    private static bool IsContainer(string name) =>
        name.Equals("CLUSTER", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("CONFIG", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("CLIENT", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("DEBUG", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("SENTINEL", StringComparison.OrdinalIgnoreCase);

    private static byte[] Encode(string[] args)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
        {
            sb.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private async Task<object?> ReadValueAsync(int depth, CancellationToken ct)
    {
        if (depth > MaxDepth)
        {
            throw new IOException($"{Address}: reply nested deeper than {MaxDepth}");
        }

        var line = await ReadLineAsync(ct).ConfigureAwait(false);
        if (line.Length == 0)
        {
            throw new IOException($"{Address}: empty reply line");
        }

        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return rest;
            case '-':
                return new RespErrorReply(rest);
            case ':':
                return long.Parse(rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case '$':
                {
                    var length = ParseLength(rest);
                    if (length < 0)
                    {
                        return null;
                    }

                    var bytes = await ReadExactAsync(length + 2, ct).ConfigureAwait(false);
                    return Encoding.UTF8.GetString(bytes, 0, length);
                }

            case '*':
                {
                    var count = ParseLength(rest);
                    if (count < 0)
                    {
                        return null;
                    }

                    var items = new object?[count];
                    for (var i = 0; i < count; i++)
                    {
                        items[i] = await ReadValueAsync(depth + 1, ct).ConfigureAwait(false);
                    }

                    return items;
                }

            default:
                throw new IOException($"{Address}: unexpected reply type '{line[0]}' (this helper speaks RESP2 only)");
        }
    }

    private int ParseLength(string text)
    {
        var value = int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return value > MaxLength ? throw new IOException($"{Address}: reply length {value} over the limit") : value;
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, index);
                _start += index + 2;
                return line;
            }

            if (_end - _start >= _buffer.Length)
            {
                throw new IOException($"{Address}: reply line longer than {_buffer.Length} bytes");
            }

            await FillAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_end == _start)
            {
                await FillAsync(ct).ConfigureAwait(false);
            }

            var n = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException($"{Address} closed the connection");
        }

        _end += read;
    }
}
