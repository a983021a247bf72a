using System;
using System.Collections.Generic;
using System.Linq;
using Redis.Generators.Spec;

namespace Redis.Generators.SpecDriven;

/// <summary>A generated enum for a oneof of pure tokens (<c>SetCondition { Nx, Xx }</c>), shared by every command with the same tokens.</summary>
internal sealed record GeneratedEnum(string Name, string Summary, EquatableArray<GeneratedEnumMember> Members);

internal sealed record GeneratedEnumMember(string Name, string Token);

/// <summary>
/// The enums of a whole spec: one per distinct token set (in order) of a oneof whose alternatives
/// are all pure tokens. Named after the command with the shortest name that uses it (ties: ordinal)
/// and the argument: <c>SetCondition</c> for NX|XX (SET, ZADD, GEOADD...), <c>ExpireCondition</c>
/// for NX|XX|GT|LT. Built from the whole spec, so every interface (and the runtime's built-in API)
/// names the same token set the same way.
/// </summary>
internal sealed class EnumTable
{
    public const string Namespace = "Redis.Commands";

    private readonly Dictionary<string, GeneratedEnum> _byKey = new(StringComparer.Ordinal);

    public EnumTable(IEnumerable<SpecCommand> commands)
    {
        var candidates = new Dictionary<string, (string Command, string Base, EquatableArray<SpecArgument> Alternatives)>(StringComparer.Ordinal);
        foreach (SpecCommand command in commands)
        {
            if (command.IsContainer) continue;
            Walk(command, command.Arguments, candidates);
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in candidates.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string wanted = SpecNaming.MethodName(pair.Value.Command.Split(' ')) + SpecNaming.Pascal(pair.Value.Base);
            string name = wanted;
            for (int i = 2; !used.Add(name); i++) name = wanted + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var memberNames = new HashSet<string>(StringComparer.Ordinal);
            var members = new List<GeneratedEnumMember>();
            foreach (SpecArgument alternative in pair.Value.Alternatives)
            {
                string member = SpecNaming.IsWordy(alternative.Token) ? SpecNaming.Pascal(alternative.Token!) : SpecNaming.Pascal(alternative.Name);
                if (member.Length == 0 || char.IsDigit(member[0])) member = "Token" + member;
                string unique = member;
                for (int i = 2; !memberNames.Add(unique); i++) unique = member + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                members.Add(new GeneratedEnumMember(unique, alternative.Token ?? alternative.Name));
            }
            string tokens = string.Join(", ", pair.Value.Alternatives.Select(a => a.Token));
            _byKey.Add(pair.Key, new GeneratedEnum(name, $"The tokens {tokens} (the <c>{pair.Value.Base}</c> argument of {pair.Value.Command} and every command with the same choice).", members.ToEquatableArray()));
        }
    }

    /// <summary>Every enum, ordered by name.</summary>
    public IEnumerable<GeneratedEnum> All => _byKey.Values.OrderBy(e => e.Name, StringComparer.Ordinal);

    public static bool IsTokenChoice(SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && !argument.Arguments.IsEmpty && argument.Arguments.All(a => a.Type == ArgumentType.PureToken && a.Token is not null);

    public static string KeyOf(SpecArgument argument) => string.Join("|", argument.Arguments.Select(a => a.Token));

    public GeneratedEnum? Find(SpecArgument argument) => IsTokenChoice(argument) && _byKey.TryGetValue(KeyOf(argument), out GeneratedEnum? e) ? e : null;

    private static void Walk(SpecCommand command, EquatableArray<SpecArgument> arguments, Dictionary<string, (string, string, EquatableArray<SpecArgument>)> candidates)
    {
        foreach (SpecArgument argument in arguments)
        {
            if (IsTokenChoice(argument))
            {
                string key = KeyOf(argument);
                string name = command.Name;
                if (!candidates.TryGetValue(key, out var existing)
                    || name.Length < existing.Item1.Length
                    || (name.Length == existing.Item1.Length && string.CompareOrdinal(name, existing.Item1) < 0))
                {
                    candidates[key] = (name, SpecMemberBuilder.BaseName(argument, arguments), argument.Arguments);
                }
                continue;
            }
            Walk(command, argument.Arguments, candidates);
        }
    }
}
