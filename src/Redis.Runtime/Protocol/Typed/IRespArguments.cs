namespace Redis;

/// <summary>
/// A command option that writes its own arguments: one choice of a spec <c>oneof</c> with its token and
/// values (<see cref="Expiration"/> writes <c>EX 60</c>, <c>KEEPTTL</c> or nothing). A parameter of such a
/// type stands for the whole choice, so two alternatives can never be sent together.
/// </summary>
/// <remarks>
/// Generated commands call both members on the concrete (struct) type, so writing an option costs no
/// boxing and no allocation. <see cref="ArgumentCount"/> must equal the number of bulk strings
/// <see cref="WriteTo"/> writes: the array header is written first from it.
/// </remarks>
public interface IRespArguments
{
    /// <summary>How many bulk strings <see cref="WriteTo"/> writes (0 when the option is not set).</summary>
    int ArgumentCount { get; }

    /// <summary>Writes the option's arguments (tokens and values) as bulk strings.</summary>
    /// <param name="writer">The command's writer.</param>
    void WriteTo(RespWriter writer);
}
