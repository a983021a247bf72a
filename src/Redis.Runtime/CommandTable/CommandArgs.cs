using System.Buffers.Text;

namespace Redis;

/// <summary>
/// An encoded command (a RESP array of bulk strings, as <see cref="RespWriter"/> writes it) split into its
/// arguments, the name words included: offsets into the bytes, no copy. The caller gives the storage for
/// the offsets (stack memory for short commands, a pooled array for long ones).
/// </summary>
internal readonly ref struct CommandArgs
{
    private readonly ReadOnlySpan<byte> _encoded;
    private readonly ReadOnlySpan<Range> _ranges;

    private CommandArgs(ReadOnlySpan<byte> encoded, ReadOnlySpan<Range> ranges)
    {
        _encoded = encoded;
        _ranges = ranges;
    }

    /// <summary>The number of arguments (name words included).</summary>
    public int Count => _ranges.Length;

    /// <summary>Argument <paramref name="index"/> (0 is the command's name).</summary>
    public ReadOnlySpan<byte> this[int index] => _encoded[_ranges[index]];

    /// <summary>Where argument <paramref name="index"/> lies in the encoded bytes.</summary>
    public Range RangeOf(int index) => _ranges[index];

    /// <summary>The encoded command.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>The number of arguments of an encoded command (the array header), or -1 when it is not a command array.</summary>
    public static int CountOf(ReadOnlySpan<byte> encoded)
    {
        int position = 0;
        return TryReadHeader(encoded, ref position, (byte)'*', out int count) && count >= 0 ? count : -1;
    }

    /// <summary>Splits <paramref name="encoded"/>; <paramref name="storage"/> must hold <see cref="CountOf"/> ranges.</summary>
    /// <exception cref="ArgumentException">The bytes are not one command array of bulk strings.</exception>
    public static CommandArgs Parse(ReadOnlySpan<byte> encoded, Span<Range> storage)
    {
        int position = 0;
        if (!TryReadHeader(encoded, ref position, (byte)'*', out int count) || count < 0 || count > storage.Length)
        {
            throw new ArgumentException("Not an encoded command, or the storage is too small.", nameof(encoded));
        }
        for (int i = 0; i < count; i++)
        {
            if (!TryReadHeader(encoded, ref position, (byte)'$', out int length) || length < 0 || position + length + 2 > encoded.Length)
            {
                throw new ArgumentException("Not an encoded command: an argument is not a bulk string.", nameof(encoded));
            }
            storage[i] = new Range(position, position + length);
            position += length + 2;
        }
        return new CommandArgs(encoded, storage[..count]);
    }

    /// <summary>True when argument <paramref name="index"/> equals <paramref name="word"/>, ignoring ASCII case.</summary>
    public bool Is(int index, ReadOnlySpan<byte> word) => index >= 0 && index < Count && System.Text.Ascii.EqualsIgnoreCase(this[index], word);

    /// <summary>True when any argument from <paramref name="start"/> on equals <paramref name="word"/>, ignoring ASCII case.</summary>
    public bool Contains(ReadOnlySpan<byte> word, int start = 1)
    {
        for (int i = start; i < Count; i++)
        {
            if (Is(i, word)) return true;
        }
        return false;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> encoded, ref int position, byte type, out int value)
    {
        value = 0;
        if (position >= encoded.Length || encoded[position] != type) return false;
        ReadOnlySpan<byte> rest = encoded[(position + 1)..];
        int end = rest.IndexOf((byte)'\r');
        if (end <= 0 || !Utf8Parser.TryParse(rest[..end], out value, out int consumed) || consumed != end) return false;
        position += 1 + end + 2;
        return position <= encoded.Length;
    }
}
