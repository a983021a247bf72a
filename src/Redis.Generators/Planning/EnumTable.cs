using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>
/// The enums of a whole spec: one per distinct token <em>set</em> (order-insensitive) of a oneof whose
/// alternatives are all pure tokens. The name never depends on which commands use the set:
/// <list type="number">
/// <item>the checked-in table <see cref="EnumNames"/> names the known sets after their role
/// (<c>ListSide</c> for LEFT|RIGHT, <c>FlushMode</c> for ASYNC|SYNC) and fixes their members;</item>
/// <item>any other set is named from its tokens alone (<see cref="DerivedName"/>: <c>ApplesOrPears</c>),
/// members in ordinal token order;</item>
/// <item>identical sets share one enum.</item>
/// </list>
/// So adding a spec file adds enums but never renames or reorders an existing one.
/// </summary>
internal sealed class EnumTable : IEquatable<EnumTable>
{
        private readonly Dictionary<string, GeneratedEnum> _byKey = new(StringComparer.Ordinal);

    public EnumTable(IEnumerable<SpecCommand> commands)
    {
        var uses = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (SpecCommand command in commands)
        {
            if (command.IsContainer) continue;
            Walk(command, command.Arguments, uses);
        }
        var reserved = new HashSet<string>(EnumNames.All.Select(e => e.Name), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        // Ordinal key order only matters for the (documented) last resort of two derived names colliding.
        foreach (var pair in uses.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (EnumNames.Find(pair.Key) is { } entry)
            {
                used.Add(entry.Name);
                var members = entry.Members.Select(m => new GeneratedEnumMember(m.Member, m.Token)).ToEquatableArray();
                string tokens = string.Join(", ", entry.Members.Select(m => "<c>" + DocText.Escape(m.Token) + "</c>"));
                _byKey.Add(pair.Key, new GeneratedEnum(entry.Name, $"The tokens {tokens}: {DocText.Escape(entry.Role)}.", members));
                continue;
            }
            var sorted = pair.Value.OrderBy(t => t.ToUpperInvariant(), StringComparer.Ordinal).ToList();
            var memberList = Members(sorted);
            string wanted = DerivedName(memberList.Select(m => m.Name).ToList());
            string name = wanted;
            for (int i = 2; reserved.Contains(name) || !used.Add(name); i++) name = wanted + i.ToString(CultureInfo.InvariantCulture);
            string list = string.Join(", ", sorted.Select(t => "<c>" + DocText.Escape(t) + "</c>"));
            // The summary depends on the tokens only too, so a new spec file leaves the whole enum unchanged.
            _byKey.Add(pair.Key, new GeneratedEnum(name, $"The tokens {list}: one of them is sent.", memberList.ToEquatableArray()));
        }
    }

    /// <summary>The same token sets with the same names and members: equal tables keep the pipeline cached.</summary>
    public bool Equals(EnumTable? other)
        => other is not null && _byKey.Count == other._byKey.Count
            && _byKey.All(pair => other._byKey.TryGetValue(pair.Key, out GeneratedEnum? e) && e.Equals(pair.Value));

    public override bool Equals(object? obj) => Equals(obj as EnumTable);

    public override int GetHashCode() => _byKey.Count;

    /// <summary>Every enum, ordered by name.</summary>
    public IEnumerable<GeneratedEnum> All => _byKey.Values.OrderBy(e => e.Name, StringComparer.Ordinal);

    public static bool IsTokenChoice(SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && !argument.Arguments.IsEmpty && argument.Arguments.All(a => a.Type == ArgumentType.PureToken && a.Token is not null);

    public static string KeyOf(SpecArgument argument) => EnumNames.KeyOf(argument.Arguments.Select(a => a.Token!));

    public GeneratedEnum? Find(SpecArgument argument) => IsTokenChoice(argument) && _byKey.TryGetValue(KeyOf(argument), out GeneratedEnum? e) ? e : null;

    /// <summary>
    /// The name of a token set the table does not know: its member names in ordinal token order joined
    /// by <c>Or</c> (<c>NOSAVE|SAVE</c> → <c>NosaveOrSave</c>); a single token gets <c>Token</c> appended
    /// (an enum may not share its only member's name). Depends on the tokens only.
    /// </summary>
    public static string DerivedName(IReadOnlyList<string> memberNames)
        => memberNames.Count == 1 ? memberNames[0] + "Token" : string.Join("Or", memberNames);

    /// <summary>The member name of a token: PascalCase of its words, symbols spelled out (<c>~</c> → <c>Tilde</c>).</summary>
    public static string MemberName(string token)
    {
        var builder = new StringBuilder();
        foreach (char c in token)
        {
            if (char.IsLetterOrDigit(c) && c < 128) builder.Append(c);
            else builder.Append(' ').Append(SymbolName(c)).Append(' ');
        }
        string name = SpecNaming.Pascal(builder.ToString());
        return name.Length == 0 || char.IsDigit(name[0]) ? "Token" + name : name;
    }

    private static string SymbolName(char c) => c switch
    {
        '-' or '_' or ' ' or '.' => "",
        '=' => "equals",
        '~' => "tilde",
        '*' => "star",
        '+' => "plus",
        '$' => "dollar",
        '>' => "greater",
        '<' => "less",
        '#' => "hash",
        '!' => "bang",
        '?' => "question",
        '@' => "at",
        '%' => "percent",
        '&' => "and",
        '|' => "pipe",
        '/' => "slash",
        ':' => "colon",
        ',' => "comma",
        '^' => "caret",
        _ => "u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
    };

    private static List<GeneratedEnumMember> Members(List<string> tokens)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<GeneratedEnumMember>();
        foreach (string token in tokens)
        {
            string member = MemberName(token);
            string unique = member;
            for (int i = 2; !names.Add(unique); i++) unique = member + i.ToString(CultureInfo.InvariantCulture);
            members.Add(new GeneratedEnumMember(unique, token));
        }
        return members;
    }

    private static void Walk(SpecCommand command, EquatableArray<SpecArgument> arguments, Dictionary<string, List<string>> uses)
    {
        foreach (SpecArgument argument in arguments)
        {
            if (IsTokenChoice(argument))
            {
                string key = KeyOf(argument);
                if (!uses.TryGetValue(key, out List<string>? tokens)) uses.Add(key, tokens = new List<string>());
                // One spelling per token whatever the order of the uses: the ordinal-smallest (the key ignores case).
                foreach (string token in argument.Arguments.Select(a => a.Token!))
                {
                    int i = tokens.FindIndex(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));
                    if (i < 0) tokens.Add(token);
                    else if (string.CompareOrdinal(token, tokens[i]) < 0) tokens[i] = token;
                }
                continue;
            }
            Walk(command, argument.Arguments, uses);
        }
    }
}
