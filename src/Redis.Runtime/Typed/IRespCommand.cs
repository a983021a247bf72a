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
}
