namespace Redis;

/// <summary>
/// A command copied once as RESP bytes with the ranges of its arguments: what the multi-node paths
/// (split, fan-out, COMMAND GETKEYS) work from, off the single-slot hot path.
/// </summary>
internal sealed class EncodedCommand
{
    private EncodedCommand(byte[] bytes, Range[] args)
    {
        Bytes = bytes;
        Args = args;
    }

    public byte[] Bytes { get; }

    public Range[] Args { get; }

    public int Count => Args.Length;

    public ReadOnlySpan<byte> this[int index] => Bytes.AsSpan()[Args[index]];

    public CommandArgs View(Span<Range> storage) => CommandArgs.Parse(Bytes, storage);

    public string Name => System.Text.Encoding.UTF8.GetString(this[0]);

    public static EncodedCommand From(ReadOnlySpan<byte> encoded)
    {
        byte[] bytes = encoded.ToArray();
        var ranges = new Range[CommandArgs.CountOf(bytes)];
        CommandArgs args = CommandArgs.Parse(bytes, ranges);
        return new EncodedCommand(bytes, ranges[..args.Count]);
    }

    /// <summary>A command of some of these arguments, in the given order (no copy of the arguments).</summary>
    public Part Select(int[] indexes) => new(this, indexes);

    /// <summary>All the arguments again (the command as it was).</summary>
    public Part All() => new(this, [.. Enumerable.Range(0, Count)]);

    /// <summary>Writes the selected arguments of an <see cref="EncodedCommand"/> as a command.</summary>
    internal readonly struct Part(EncodedCommand command, int[] indexes) : IRespCommand
    {
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(indexes.Length);
            foreach (int index in indexes) writer.WriteBulkString(command[index]);
        }
    }
}
