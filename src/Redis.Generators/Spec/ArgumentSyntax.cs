using System.Linq;

namespace Redis.Generators.Spec;

/// <summary>
/// A command's syntax as redis.io writes it (<c>SET key value [NX | XX] [GET] [EX seconds | ...]</c>),
/// from its argument tree: used in generated docs and in diagnostics.
/// </summary>
internal static class ArgumentSyntax
{
    /// <summary>The whole command: its name and its arguments, or <c>NAME ...</c> when the spec has no docs.</summary>
    public static string Command(SpecCommand command)
        => command.Docs ? (command.Name + " " + Describe(command.Arguments)).Trim() : command.Name + " ...";

    internal static string Describe(EquatableArray<SpecArgument> arguments)
        => arguments.IsEmpty ? "none" : string.Join(" ", arguments.Select(Describe));

    internal static string Describe(SpecArgument argument)
    {
        string core = argument.Type switch
        {
            ArgumentType.PureToken => argument.Token ?? argument.Name,
            ArgumentType.OneOf => string.Join(" | ", argument.Arguments.Select(Describe)),
            ArgumentType.Block => string.Join(" ", argument.Arguments.Select(Describe)),
            _ => argument.Name,
        };
        if (argument.Type == ArgumentType.OneOf && argument.Token is not null) core = "<" + core + ">";
        string? token = argument.Type == ArgumentType.PureToken ? null : argument.Token;
        if (argument.Multiple)
        {
            // multiple_token: the token comes before every item (SORT's GET pattern [GET pattern ...]);
            // otherwise once, before the first (ZUNIONSTORE's WEIGHTS weight [weight ...]).
            core = token is not null && argument.MultipleToken
                ? token + " " + core + " [" + token + " " + core + " ...]"
                : (token is null ? "" : token + " ") + core + " [" + core + " ...]";
        }
        else if (token is not null)
        {
            core = token + " " + core;
        }
        if (argument.Optional) return "[" + core + "]";
        return argument.Type == ArgumentType.OneOf && argument.Token is null ? "<" + core + ">" : core;
    }
}
