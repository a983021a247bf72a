using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace Redis.Generators.Spec;

/// <summary>
/// All spec files merged (first definition of a name wins). Equality covers the commands, the file
/// list and the diagnostics; the lookup tables are built lazily and are not part of it.
/// </summary>
internal sealed class CommandSpec : IEquatable<CommandSpec>
{
    private Dictionary<string, SpecCommand>? _byName;
    private Dictionary<string, SpecCommand>? _byKey;
    private HashSet<string>? _groups;

    public CommandSpec(EquatableArray<SpecCommand> commands, EquatableArray<string> files, EquatableArray<DiagnosticInfo> diagnostics, bool hasErrors)
    {
        Commands = commands;
        Files = files;
        Diagnostics = diagnostics;
        HasErrors = hasErrors;
    }

    public EquatableArray<SpecCommand> Commands { get; }

    /// <summary>The spec files read (paths), in AdditionalFiles order.</summary>
    public EquatableArray<string> Files { get; }

    /// <summary>Merge diagnostics (duplicate definitions); per-file errors are reported by the file step.</summary>
    public EquatableArray<DiagnosticInfo> Diagnostics { get; }

    /// <summary>True when some spec file could not be read: interfaces are then not generated.</summary>
    public bool HasErrors { get; }

    public static CommandSpec Merge(ImmutableArray<SpecFile> files)
    {
        var commands = new List<SpecCommand>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var diagnostics = new List<DiagnosticInfo>();
        bool hasErrors = false;
        foreach (SpecFile file in files)
        {
            hasErrors |= file.HasErrors;
            foreach (SpecCommand command in file.Commands)
            {
                if (owners.TryGetValue(command.Name, out string? owner))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateSpecCommand, command.Location, command.Name, System.IO.Path.GetFileName(owner)));
                    continue;
                }
                owners.Add(command.Name, file.Path);
                commands.Add(command);
            }
        }
        return new CommandSpec(commands.ToEquatableArray(), files.Select(f => f.Path).ToEquatableArray(), diagnostics.ToEquatableArray(), hasErrors);
    }

    public SpecCommand? Find(string name)
    {
        _byName ??= BuildByName();
        return _byName.TryGetValue(SpecParser.Normalize(name), out SpecCommand? command) ? command : null;
    }

    /// <summary>
    /// Finds a command by its lookup key: the name upper-cased with everything but letters and digits
    /// removed, the container separated by one space (<c>"HGETALL"</c>, <c>"CLIENT SETNAME"</c>,
    /// <c>"JSONSET"</c> for JSON.SET, <c>"CLIENT NOEVICT"</c> for CLIENT NO-EVICT).
    /// </summary>
    public SpecCommand? FindByKey(string key)
    {
        _byKey ??= BuildByKey();
        return _byKey.TryGetValue(key, out SpecCommand? command) ? command : null;
    }

    public bool HasGroup(string group)
    {
        _groups ??= new HashSet<string>(Commands.Where(c => c.Group is not null).Select(c => c.Group!), StringComparer.OrdinalIgnoreCase);
        return _groups.Contains(group);
    }

    public IEnumerable<SpecCommand> Subcommands(SpecCommand container)
    {
        foreach (string name in container.Subcommands)
        {
            if (Find(name) is { } sub) yield return sub;
        }
    }

    public static string KeyOf(string name)
    {
        string[] words = SpecParser.Normalize(name).Split(' ');
        return string.Join(" ", words.Select(Squash));
    }

    public static string Squash(string word)
    {
        var builder = new StringBuilder(word.Length);
        foreach (char c in word)
        {
            if (char.IsLetterOrDigit(c)) builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }

    private Dictionary<string, SpecCommand> BuildByName()
    {
        var map = new Dictionary<string, SpecCommand>(StringComparer.Ordinal);
        foreach (SpecCommand command in Commands)
        {
            if (!map.ContainsKey(command.Name)) map.Add(command.Name, command);
        }
        return map;
    }

    private Dictionary<string, SpecCommand> BuildByKey()
    {
        var map = new Dictionary<string, SpecCommand>(StringComparer.Ordinal);
        foreach (SpecCommand command in Commands)
        {
            string key = KeyOf(command.Name);
            if (!map.ContainsKey(key)) map.Add(key, command);
        }
        return map;
    }

    public bool Equals(CommandSpec? other)
        => other is not null && HasErrors == other.HasErrors && Files.Equals(other.Files) && Diagnostics.Equals(other.Diagnostics) && Commands.Equals(other.Commands);

    public override bool Equals(object? obj) => Equals(obj as CommandSpec);

    public override int GetHashCode() => unchecked((Commands.Count * 397) ^ Files.GetHashCode());
}
