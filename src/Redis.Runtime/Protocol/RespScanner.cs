using System.Globalization;

namespace Redis;

/// <summary>
/// Finds where one complete reply ends in buffered bytes, validating it on the way, without
/// allocating. It is resumable: when the bytes run out it remembers how far it got (the offset of
/// the last complete element and the counts still owed by each open aggregate), so each byte is
/// scanned once however the reply is split. Nesting is tracked in an explicit stack, never by
/// recursion, so depth is bounded by <see cref="RespLimits.MaxDepth"/> and cannot overflow the stack.
/// </summary>
/// <remarks>
/// Every offset is relative to the start of the reply being scanned, so the owner may move the
/// bytes (compact its buffer) between calls. Once a reply is complete, the tree builder and the
/// typed reader can parse it without bounds surprises: they run over validated bytes.
/// </remarks>
internal sealed class RespScanner
{
    // What each open level of the stack is. A counted aggregate owes _remaining values; a streamed one
    // (RESP3 "*?", "~?", "%?", "|?") has received _remaining values and ends at ".", a streamed string
    // ("$?") takes only ";" chunks and ends at ";0". AfterAttribute marks a streamed aggregate whose last
    // element was an attribute: the value it annotates must follow before ".".
    private const byte Counted = 0;
    private const byte Attribute = 1;
    private const byte StreamedFirst = 2;
    private const byte Streamed = 2;
    private const byte StreamedPairs = 3;
    private const byte StreamedAttribute = 4;
    private const byte AfterAttribute = 0x40;

    private readonly RespLimits _limits;
    private readonly int[] _remaining;      // elements still owed by (or, streamed, received by) each open aggregate
    private readonly byte[] _kind;          // Counted, Attribute or a streamed kind, per level
    private readonly int[] _slot;           // a streamed level's index in _sizes
    private int _depth;
    private int _scanned;                   // offset after the last fully scanned element
    private int _lineSearchFrom;            // where to resume looking for '\n' in a long line
    private bool _inStreamedString;         // between "$?" and ";0": only chunks may follow
    private long _streamedStringLength;     // the bytes of the open streamed string so far
    private int _streamedStringSlot;
    private int[] _sizes = [];              // per streamed header, in order: its element count (pairs for maps) or string length
    private int _sizeCount;

    public RespScanner(RespLimits limits)
    {
        _limits = limits;
        _remaining = new int[limits.MaxDepth];
        _kind = new byte[limits.MaxDepth];
        _slot = new int[limits.MaxDepth];
    }

    /// <summary>
    /// After <see cref="TryScan"/> returned true: the sizes of the streamed strings and aggregates in the
    /// reply, in the order of their headers (an aggregate's element count, pairs for a map or attribute; a
    /// string's length); empty for a reply without streamed parts, the usual case. Valid until the next scan.
    /// </summary>
    public ReadOnlySpan<int> StreamedSizes => _sizes.AsSpan(0, _sizeCount);

    /// <summary>After <see cref="TryScan"/> returned true: whether the reply has streamed parts (see <see cref="StreamedSizes"/>).</summary>
    public bool HasStreamedParts => _sizeCount > 0;

    /// <summary>After <see cref="TryScan"/> returns false: the total bytes the reply needs at least (0 when unknown).</summary>
    public int BytesNeeded { get; private set; }

    /// <summary>
    /// After <see cref="TryScan"/> returns false: the payload length of the bulk string (<c>$</c>) the
    /// reply consists of, when the reply is exactly one bulk string whose header is scanned and whose
    /// payload is still incomplete; otherwise -1. The payload starts at <see cref="PendingBulkOffset"/>.
    /// </summary>
    public int PendingBulkLength { get; private set; } = -1;

    /// <summary>The offset of the pending bulk's payload from the start of the reply (see <see cref="PendingBulkLength"/>).</summary>
    public int PendingBulkOffset { get; private set; }

    /// <summary>Forgets a partial scan.</summary>
    public void Reset()
    {
        ResetPosition();
        _sizeCount = 0;
    }

    // Forgets the position, but not the streamed sizes of a reply just completed (the decoder reads them).
    private void ResetPosition()
    {
        _depth = 0;
        _scanned = 0;
        _lineSearchFrom = 0;
        _inStreamedString = false;
        BytesNeeded = 0;
        PendingBulkLength = -1;
    }

    /// <summary>
    /// Continues scanning the reply at the start of <paramref name="buffer"/>. Returns true with the
    /// reply's length once it is complete (and resets for the next reply); false when more bytes
    /// are needed. Malformed input or an exceeded limit throws <see cref="RedisProtocolException"/>.
    /// </summary>
    public bool TryScan(ReadOnlySpan<byte> buffer, out int length)
    {
        int pos = _scanned;
        if (pos == 0 && _depth == 0) _sizeCount = 0; // a new reply
        while (true)
        {
            if (pos >= buffer.Length)
            {
                return NeedMore(pos, pos + 1, out length);
            }

            byte type = buffer[pos];
            int searchFrom = Math.Max(pos + 1, _lineSearchFrom);
            int newline = buffer[searchFrom..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (buffer.Length - pos > (long)_limits.MaxBulkLength + 32)
                {
                    throw Error($"a reply line is longer than the limit of {_limits.MaxBulkLength} bytes");
                }
                _lineSearchFrom = buffer.Length;
                return NeedMore(pos, buffer.Length + 1, out length);
            }
            newline += searchFrom;
            _lineSearchFrom = 0;
            if (newline - pos > (long)_limits.MaxBulkLength + 32)
            {
                // The same bound as for a line still arriving, so the outcome never depends on how the bytes were split.
                throw Error($"a reply line is longer than the limit of {_limits.MaxBulkLength} bytes");
            }
            if (newline - 1 < pos + 1 || buffer[newline - 1] != (byte)'\r')
            {
                throw Error("bad reply line terminator (expected \\r\\n)");
            }
            ReadOnlySpan<byte> line = buffer[(pos + 1)..(newline - 1)];
            int next = newline + 1;
            bool completesValue = true;
            if (_inStreamedString && type != (byte)';')
            {
                throw Error("a streamed string ($?) must continue with a chunk (;<length>)");
            }

            switch (type)
            {
                case (byte)'+':
                case (byte)'-':
                    break;
                case (byte)':':
                    ParseInteger(line);
                    break;
                case (byte)'$':
                case (byte)'!':
                case (byte)'=':
                {
                    if (line.Length == 1 && line[0] == (byte)'?' && type == (byte)'$')
                    {
                        _inStreamedString = true;
                        _streamedStringLength = 0;
                        _streamedStringSlot = AddSize();
                        completesValue = false;
                        break;
                    }
                    long len = ParseLength(line, allowNull: type == (byte)'$');
                    if (len >= 0)
                    {
                        if (len > _limits.MaxBulkLength)
                        {
                            throw Error($"bulk length {len} exceeds the limit of {_limits.MaxBulkLength} bytes");
                        }
                        long end = next + len + 2;
                        if (end > buffer.Length)
                        {
                            bool wholeReply = pos == 0 && _depth == 0 && type == (byte)'$';
                            bool more = NeedMore(pos, end, out length);
                            if (wholeReply)
                            {
                                PendingBulkLength = (int)len;
                                PendingBulkOffset = next;
                            }
                            return more;
                        }
                        int payloadEnd = next + (int)len;
                        if (buffer[payloadEnd] != (byte)'\r' || buffer[payloadEnd + 1] != (byte)'\n')
                        {
                            throw Error("bad bulk string format (payload not followed by \\r\\n)");
                        }
                        if (type == (byte)'=' && (len < 4 || buffer[next + 3] != (byte)':'))
                        {
                            throw Error("bad verbatim string (expected a 3-byte format and ':')");
                        }
                        next = payloadEnd + 2;
                    }
                    break;
                }
                case (byte)'*':
                case (byte)'~':
                case (byte)'>':
                case (byte)'%':
                case (byte)'|':
                {
                    if (line.Length == 1 && line[0] == (byte)'?' && type != (byte)'>')
                    {
                        OpenStreamedAggregate(type);
                        completesValue = false;
                        break;
                    }
                    long count = ParseLength(line, allowNull: type == (byte)'*');
                    if (count > _limits.MaxAggregateLength)
                    {
                        throw Error($"aggregate length {count} exceeds the limit of {_limits.MaxAggregateLength}");
                    }
                    bool pairs = type is (byte)'%' or (byte)'|';
                    long elementCount = pairs ? count * 2 : count;
                    if (elementCount > int.MaxValue)
                    {
                        // Only reachable with MaxAggregateLength above 2^30: a map of that many pairs must not wrap to a negative count.
                        throw Error($"aggregate length {count} has more elements than a reply can hold");
                    }
                    int elements = (int)elementCount;
                    bool attribute = type == (byte)'|';
                    if (elements > 0)
                    {
                        if (_depth >= _limits.MaxDepth)
                        {
                            throw Error($"replies nested deeper than the limit of {_limits.MaxDepth}");
                        }
                        _remaining[_depth] = elements;
                        _kind[_depth] = attribute ? Attribute : Counted;
                        _depth++;
                        completesValue = false;
                    }
                    else if (attribute)
                    {
                        completesValue = false; // an empty attribute: the real value follows
                        AttributeEnded();
                    }
                    break;
                }
                case (byte)';':
                {
                    if (!_inStreamedString) throw Error("a string chunk (;) outside a streamed string ($?)");
                    long len = ParseLength(line, allowNull: false);
                    if (len == 0)
                    {
                        _inStreamedString = false;
                        _sizes[_streamedStringSlot] = (int)_streamedStringLength;
                        break; // the string is complete: a value
                    }
                    if (_streamedStringLength + len > _limits.MaxBulkLength)
                    {
                        throw Error($"streamed string length {_streamedStringLength + len} exceeds the limit of {_limits.MaxBulkLength} bytes");
                    }
                    long end = next + len + 2;
                    if (end > buffer.Length) return NeedMore(pos, end, out length);
                    int payloadEnd = next + (int)len;
                    if (buffer[payloadEnd] != (byte)'\r' || buffer[payloadEnd + 1] != (byte)'\n')
                    {
                        throw Error("bad string chunk format (payload not followed by \\r\\n)");
                    }
                    _streamedStringLength += len;
                    next = payloadEnd + 2;
                    completesValue = false;
                    break;
                }
                case (byte)'.':
                    if (line.Length != 0) throw Error("bad end of a streamed aggregate (expected \".\\r\\n\")");
                    completesValue = CloseStreamedAggregate();
                    break;
                case (byte)'_':
                    if (line.Length != 0) throw Error("bad null reply (expected \"_\\r\\n\")");
                    break;
                case (byte)',':
                    ParseDouble(line);
                    break;
                case (byte)'#':
                    if (line.Length != 1 || (line[0] != (byte)'t' && line[0] != (byte)'f'))
                    {
                        throw Error("bad boolean reply (expected #t or #f)");
                    }
                    break;
                case (byte)'(':
                    ValidateBigNumber(line);
                    break;
                default:
                    throw Error($"unexpected reply type byte 0x{type:x2}");
            }

            pos = next;
            if (completesValue && CompleteValue())
            {
                length = pos;
                ResetPosition();
                return true;
            }
            _scanned = pos;
        }
    }

    // One value finished: count it against the open aggregates. Returns true when the top-level
    // reply is complete.
    private bool CompleteValue()
    {
        while (_depth > 0)
        {
            int top = _depth - 1;
            byte kind = _kind[top];
            if (kind >= StreamedFirst)
            {
                // A streamed aggregate: count the value against the same limit as a counted one.
                long max = (kind & ~AfterAttribute) == Streamed ? _limits.MaxAggregateLength : 2L * _limits.MaxAggregateLength;
                if (++_remaining[top] > max || _remaining[top] < 0)
                {
                    throw Error($"streamed aggregate length exceeds the limit of {_limits.MaxAggregateLength}");
                }
                _kind[top] = (byte)(kind & ~AfterAttribute);
                return false;
            }
            if (--_remaining[top] > 0) return false;
            _depth--;
            if (kind == Attribute)
            {
                AttributeEnded();
                return false; // the attribute is done; the value it annotates follows
            }
        }
        return true;
    }

    // An attribute ended inside a streamed aggregate: "." may not come before the value it annotates.
    private void AttributeEnded()
    {
        if (_depth > 0 && _kind[_depth - 1] >= StreamedFirst) _kind[_depth - 1] |= AfterAttribute;
    }

    private void OpenStreamedAggregate(byte type)
    {
        if (_depth >= _limits.MaxDepth)
        {
            throw Error($"replies nested deeper than the limit of {_limits.MaxDepth}");
        }
        _remaining[_depth] = 0;
        _kind[_depth] = type switch
        {
            (byte)'%' => StreamedPairs,
            (byte)'|' => StreamedAttribute,
            _ => Streamed,
        };
        _slot[_depth] = AddSize();
        _depth++;
    }

    // "." closes the innermost streamed aggregate; returns true when that completes a value (not an attribute).
    private bool CloseStreamedAggregate()
    {
        int top = _depth - 1;
        if (top < 0 || _kind[top] < StreamedFirst)
        {
            throw Error("an end marker (.) outside a streamed aggregate");
        }
        byte kind = _kind[top];
        if ((kind & AfterAttribute) != 0)
        {
            throw Error("an attribute at the end of a streamed aggregate annotates no value");
        }
        int count = _remaining[top];
        if (kind != Streamed)
        {
            if (count % 2 != 0) throw Error("a streamed map or attribute ended after a key without its value");
            count /= 2;
        }
        _sizes[_slot[top]] = count;
        _depth--;
        if (kind == StreamedAttribute)
        {
            AttributeEnded();
            return false;
        }
        return true;
    }

    // Reserves the next entry of _sizes for a streamed header (filled in when it ends).
    private int AddSize()
    {
        if (_sizeCount == _sizes.Length) Array.Resize(ref _sizes, Math.Max(8, _sizes.Length * 2));
        return _sizeCount++;
    }

    private bool NeedMore(int resumeAt, long needed, out int length)
    {
        _scanned = resumeAt;
        PendingBulkLength = -1;
        BytesNeeded = needed > int.MaxValue ? int.MaxValue : (int)needed;
        if (needed > _limits.MaxBufferedBytes)
        {
            throw Error($"the reply needs more than the limit of {_limits.MaxBufferedBytes} buffered bytes");
        }
        length = 0;
        return false;
    }

    internal static long ParseInteger(ReadOnlySpan<byte> line)
    {
        if (line.Length == 0) throw Error("malformed integer (empty)");
        bool negative = line[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative || line[0] == (byte)'+' ? line[1..] : line;
        if (digits.Length == 0) throw Error("malformed integer (sign without digits)");
        ulong value = 0;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9) throw Error("illegal byte in integer");
            if (value > (ulong.MaxValue - d) / 10) throw Error("integer overflows 64 bits");
            value = value * 10 + d;
        }
        if (negative)
        {
            if (value > (ulong)long.MaxValue + 1) throw Error("integer overflows 64 bits");
            return (long)(0 - value);
        }
        if (value > long.MaxValue) throw Error("integer overflows 64 bits");
        return (long)value;
    }

    internal static long ParseLength(ReadOnlySpan<byte> line, bool allowNull)
    {
        if (line.Length == 0) throw Error("malformed length (empty)");
        if (line[0] == (byte)'-')
        {
            if (allowNull && line.Length == 2 && line[1] == (byte)'1') return -1;
            throw Error("illegal length (negative)");
        }
        if (line.Length > 10) throw Error("illegal length (too long)");
        long value = 0;
        foreach (byte b in line)
        {
            uint d = (uint)(b - '0');
            if (d > 9) throw Error("illegal byte in length");
            value = value * 10 + d;
        }
        if (value > int.MaxValue) throw Error("illegal length (exceeds 2^31-1)");
        return value;
    }

    /// <summary>A RESP3 double line, by the grammar of <see cref="ScalarRules.TryParseDouble"/>; anything else is malformed.</summary>
    internal static double ParseDouble(ReadOnlySpan<byte> line)
    {
        if (line.Length > 400 || ScalarRules.TryParseDouble(line, out double value) != ScalarRules.Fault.None)
        {
            throw Error("malformed double");
        }
        return value;
    }

    private static void ValidateBigNumber(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> digits = line.Length > 0 && (line[0] == (byte)'-' || line[0] == (byte)'+') ? line[1..] : line;
        if (digits.Length == 0) throw Error("malformed big number");
        foreach (byte b in digits)
        {
            if ((uint)(b - '0') > 9) throw Error("illegal byte in big number");
        }
    }

    internal static RedisProtocolException Error(string message) => new($"Protocol error: {message}.");
}
