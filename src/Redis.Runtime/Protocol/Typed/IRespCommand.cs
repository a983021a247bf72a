namespace Redis;

/// <summary>
/// A command that encodes itself: generated code implements it with a <see langword="readonly struct"/>
/// holding the typed arguments, so sending a command costs no <c>object[]</c> and no boxing.
/// </summary>
public interface IRespCommand
{
    /// <summary>Writes the whole command (array header, name, arguments). It must not throw part-way
    /// for a reason the caller could have checked first; if it does, the partial bytes are discarded.</summary>
    void WriteTo(RespWriter writer);

    /// <summary>
    /// The command's entry in <see cref="CommandTable"/> (its <see cref="CommandInfo.Id"/>), or -1 when
    /// the command does not know it; then its name is looked up from the bytes it writes. Generated
    /// commands carry it (computed once per type), so routing, pool cleanup and logging never re-read a
    /// typed command's bytes to learn what it is.
    /// </summary>
    static virtual int CommandId => -1;
}
