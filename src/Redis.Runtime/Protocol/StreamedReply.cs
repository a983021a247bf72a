using System.Buffers.Text;

namespace Redis;

/// <summary>
/// Rewrites a complete reply that holds RESP3 streamed parts into its counted form, so that everything
/// after <see cref="RespDecoder"/> (the object tree, the typed reader and parsers, raw frames kept for
/// pipelines and clusters) reads streamed and counted replies alike: <c>$?</c> with its <c>;</c> chunks
/// becomes one <c>$&lt;length&gt;</c> bulk string, and <c>*?</c>, <c>~?</c>, <c>%?</c>, <c>|?</c> ended by
/// <c>.</c> become <c>*&lt;count&gt;</c>, <c>~</c>, <c>%</c>, <c>|</c> with the count of what they held.
/// </summary>
/// <remarks>
/// It runs only for replies with streamed parts, after <see cref="RespScanner"/> has validated the reply
/// (within <see cref="RespLimits"/>) and recorded each streamed part's size in header order, so one pass
/// writes the counted form without looking ahead. The counted form is never longer than the streamed one
/// by more than 6 bytes per streamed aggregate (a count of up to 10 digits replaces <c>?</c> and the 3
/// bytes of <c>.\r\n</c>); a streamed string only gets shorter.
/// </remarks>
internal static class StreamedReply
{
    /// <summary>The most bytes <see cref="Normalize"/> writes for a frame of <paramref name="frameLength"/> bytes with <paramref name="streamedParts"/> streamed parts.</summary>
    public static long MaxLength(int frameLength, int streamedParts) => frameLength + (6L * streamedParts);

    /// <summary>Writes the counted form of <paramref name="frame"/> into <paramref name="output"/>; returns its length.</summary>
    public static int Normalize(ReadOnlySpan<byte> frame, ReadOnlySpan<int> sizes, Span<byte> output)
    {
        int pos = 0, written = 0, part = 0;
        while (pos < frame.Length)
        {
            byte type = frame[pos];
            int next = pos + frame[pos..].IndexOf((byte)'\n') + 1;
            ReadOnlySpan<byte> line = frame[(pos + 1)..(next - 2)];
            bool streamed = line.Length == 1 && line[0] == (byte)'?';
            switch (type)
            {
                case (byte)'$' when streamed:
                    written += Header(type, sizes[part++], output[written..]);
                    next = CopyChunks(frame, next, output, ref written);
                    break;
                case (byte)'$':
                case (byte)'!':
                case (byte)'=':
                {
                    long len = RespScanner.ParseLength(line, allowNull: true);
                    if (len >= 0) next += (int)len + 2;
                    written += Copy(frame[pos..next], output[written..]);
                    break;
                }
                case (byte)'*' or (byte)'~' or (byte)'%' or (byte)'|' when streamed:
                    written += Header(type, sizes[part++], output[written..]);
                    break;
                case (byte)'.':
                    break; // the counted header already says where the aggregate ends
                default:
                    written += Copy(frame[pos..next], output[written..]);
                    break;
            }
            pos = next;
        }
        return written;
    }

    // The chunks of a streamed string from `pos` (after "$?\r\n") to ";0\r\n": their payloads, then "\r\n".
    private static int CopyChunks(ReadOnlySpan<byte> frame, int pos, Span<byte> output, ref int written)
    {
        while (true)
        {
            int next = pos + frame[pos..].IndexOf((byte)'\n') + 1;
            int len = (int)RespScanner.ParseLength(frame[(pos + 1)..(next - 2)], allowNull: false);
            if (len == 0)
            {
                written += Copy("\r\n"u8, output[written..]);
                return next;
            }
            written += Copy(frame.Slice(next, len), output[written..]);
            pos = next + len + 2;
        }
    }

    private static int Header(byte type, int count, Span<byte> output)
    {
        output[0] = type;
        Utf8Formatter.TryFormat(count, output[1..], out int digits);
        output[1 + digits] = (byte)'\r';
        output[2 + digits] = (byte)'\n';
        return digits + 3;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> output)
    {
        source.CopyTo(output);
        return source.Length;
    }
}
