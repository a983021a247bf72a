using Microsoft.CodeAnalysis;
using Redis.Generators.Spec;

namespace Redis.Generators.Tests;

/// <summary>
/// Valued oneofs as one parameter (Spec/OptionTypes.cs): every such choice of the repository spec has its
/// runtime type or a stated reason not to, and user interfaces may declare the types (or their own).
/// </summary>
public class OptionTypeTests
{
    // Valued choices that stay as they are, and why: a choice repeated any number of times (each filter or
    // operation may be combined), a token-or-value already sent through one nullable parameter (null sends
    // the token), and ACL LOG's count | RESET, which the reply variants split into AclLog and AclLogReset.
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["ACL LOG/operation"] = "reply variants",
        ["BITFIELD/operation"] = "repeated",
        ["BITFIELD/write_operation"] = "repeated",
        ["CLIENT KILL/filter"] = "repeated filters",
        ["CLIENT KILL/new-format"] = "repeated filters",
        ["MIGRATE/key_or_empty_string"] = "token or value",
        ["XADD/id_or_auto"] = "token or value",
        ["XGROUP CREATE/id"] = "token or value",
        ["XGROUP SETID/id"] = "token or value",
    };

    private static CommandSpec RepositorySpec()
        => CommandSpec.Merge([SpecParser.Parse(SpecDrivenTests.RepositorySpec, Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(SpecDrivenTests.RepositorySpec)))]);

    private static IEnumerable<(string Path, SpecArgument Choice)> ValuedChoices(string command, IEnumerable<SpecArgument> arguments)
    {
        foreach (SpecArgument argument in arguments)
        {
            if (OptionTypes.IsValuedChoice(argument)) yield return (command + "/" + argument.Name, argument);
            foreach (var inner in ValuedChoices(command, argument.Arguments)) yield return inner;
        }
    }

    [SkippableFact]
    public void EveryValuedChoiceOfTheRepositorySpec_HasAnOptionType_OrAStatedException()
    {
        Skip.IfNot(File.Exists(SpecDrivenTests.RepositorySpec), "no repository spec");
        var choices = RepositorySpec().Commands.SelectMany(c => ValuedChoices(c.Name, c.Arguments)).ToList();

        var uncovered = choices.Where(c => OptionTypes.ForChoice(c.Choice) is null && !Exceptions.ContainsKey(c.Path)).Select(c => c.Path).ToList();
        var typed = choices.Where(c => OptionTypes.ForChoice(c.Choice) is not null).ToDictionary(c => c.Path, c => OptionTypes.ForChoice(c.Choice)!.ShortName);

        Assert.True(uncovered.Count == 0, "valued oneofs with neither a type in Spec/OptionTypes.cs nor an exception: " + string.Join(", ", uncovered));
        Assert.Equal("Expiration", typed["SET/expiration"]);
        Assert.Equal("ExpirationUpdate", typed["GETEX/expiration"]);
        Assert.Equal("GeoSearchShape", typed["GEOSEARCHSTORE/by"]);
        Assert.Equal("ReplicationSource", typed["SLAVEOF/args"]);
        Assert.Equal(OptionTypes.All.Select(t => t.ShortName).Order(), typed.Values.Distinct().Order());
    }

    [SkippableFact]
    public void UserInterfaces_MayDeclareTheOptionTypes_AndTheirOwnStructs_PositionallyOrByName()
    {
        Skip.IfNot(File.Exists(SpecDrivenTests.RepositorySpec), "no repository spec");
        string source = """
            using Redis;
            using Redis.Commands;

            namespace Options;

            internal readonly struct Credentials(string password) : IRespArguments
            {
                public int ArgumentCount => 2;

                public void WriteTo(RespWriter writer)
                {
                    writer.WriteBulkString("AUTH"u8);
                    writer.WriteBulkString(password);
                }
            }

            [RedisCommands]
            internal partial interface IOptions
            {
                string ReplicaOf(ReplicationSource source);
                byte[][] GeoSearch(RedisKey key, GeoSearchOrigin from, GeoSearchShape by, SortOrder? order = null);
                void ClusterSetSlot(long slot, SlotState state);
                byte[][] CommandList(CommandFilter? filter = null);
                string Migrate(string host, long port, RedisKey key, long destinationDb, long timeout, Credentials authentication);
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec(File.ReadAllText(SpecDrivenTests.RepositorySpec)));

        Assert.Empty(run.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Info));
        Assert.Empty(run.CompilerWarningsAndErrors.Select(d => d.ToString()));
        string generated = string.Concat(run.Result.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("if (source.ArgumentCount == 0) throw", generated);
        Assert.Contains("_authentication.WriteTo(writer);", generated);
    }
}
