using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Redis.Generators.Planning;

namespace Redis.Generators.Tests;

/// <summary>
/// The names of the generated token-choice enums (<c>Redis.Commands</c>): from the checked-in table
/// by token set, otherwise from the tokens; never from the commands that use them, so adding a spec
/// file never renames (or reorders) an existing enum.
/// </summary>
public class EnumNamingTests
{
    private const string Interface = """
        using Redis;

        namespace Naming;

        /// <summary>Spec-driven test interface.</summary>
        [RedisCommands(Groups = new[] { "test" })]
        public partial interface INaming
        {
        }
        """;

    // Two commands: one with a set the table names (LEFT|RIGHT), one with a set it does not (PEAR|APPLE).
    private const string BaseSpec = """
        {
          "format_version": 1,
          "commands": {
            "ZMOVE": {
              "name": "ZMOVE", "wire": ["ZMOVE"], "group": "test", "arity": 3, "docs": true,
              "arguments": [
                { "name": "key", "type": "key", "key_spec_index": 0 },
                { "name": "wherefrom", "type": "oneof", "arguments": [
                  { "name": "left", "type": "pure-token", "token": "LEFT" },
                  { "name": "right", "type": "pure-token", "token": "RIGHT" } ] }
              ],
              "reply": "bulk?"
            },
            "ZTOUCH": {
              "name": "ZTOUCH", "wire": ["ZTOUCH"], "group": "test", "arity": -2, "docs": true,
              "arguments": [
                { "name": "key", "type": "key", "key_spec_index": 0 },
                { "name": "fruit", "type": "oneof", "optional": true, "arguments": [
                  { "name": "pear", "type": "pure-token", "token": "PEAR" },
                  { "name": "apple", "type": "pure-token", "token": "APPLE" } ] }
              ],
              "reply": "int"
            }
          }
        }
        """;

    // Another spec file: a command whose name sorts first and is shorter, using both sets in the other order.
    private const string AddedSpec = """
        {
          "format_version": 1,
          "commands": {
            "AX": {
              "name": "AX", "wire": ["AX"], "group": "test", "arity": -2, "docs": true,
              "arguments": [
                { "name": "key", "type": "key", "key_spec_index": 0 },
                { "name": "side", "type": "oneof", "arguments": [
                  { "name": "right", "type": "pure-token", "token": "RIGHT" },
                  { "name": "left", "type": "pure-token", "token": "LEFT" } ] },
                { "name": "kind", "type": "oneof", "optional": true, "arguments": [
                  { "name": "apple", "type": "pure-token", "token": "APPLE" },
                  { "name": "pear", "type": "pure-token", "token": "PEAR" } ] }
              ],
              "reply": "int"
            }
          }
        }
        """;

    [Fact]
    public void AddingASpecFile_WhoseCommandSortsFirstAndUsesTheSameTokenSets_RenamesNoEnum()
    {
        GeneratorRun before = GeneratorHarness.Run(Interface, GeneratorHarness.Spec(BaseSpec));
        GeneratorRun after = GeneratorHarness.Run(Interface, GeneratorHarness.Spec(BaseSpec), GeneratorHarness.Spec(AddedSpec, "/proj/added.commands.json"));

        GeneratorHarness.AssertCleanCompile(before);
        GeneratorHarness.AssertCleanCompile(after);
        // The table's name for LEFT|RIGHT (from the runtime) and the derived name for APPLE|PEAR, before and after.
        Assert.Contains("ZMove(global::Redis.RedisKey key, global::Redis.Commands.ListSide wherefrom)", All(before));
        Assert.Contains("ZMove(global::Redis.RedisKey key, global::Redis.Commands.ListSide wherefrom)", All(after));
        Assert.Contains("ZTouch(global::Redis.RedisKey key, global::Redis.Commands.AppleOrPear? fruit = null)", All(before));
        Assert.Contains("ZTouch(global::Redis.RedisKey key, global::Redis.Commands.AppleOrPear? fruit = null)", All(after));
        // The new command shares both enums (identical sets, whatever their order), and the enum file is unchanged.
        Assert.Contains("AX(global::Redis.RedisKey key, global::Redis.Commands.ListSide side, global::Redis.Commands.AppleOrPear? kind = null)", All(after));
        Assert.Equal(before.Source("Redis.Commands.Enums.g.cs"), after.Source("Redis.Commands.Enums.g.cs"));
        Assert.Equal(EnumNamesIn(before), EnumNamesIn(after));
    }

    [Fact]
    public void ATokenSetNotInTheTable_IsNamedFromItsTokensInOrdinalOrder_WithMembersInThatOrder()
    {
        GeneratorRun run = GeneratorHarness.Run(Interface, GeneratorHarness.Spec(BaseSpec));

        string enums = run.Source("Redis.Commands.Enums.g.cs");
        Assert.Matches(new Regex(@"public enum AppleOrPear\s*\{[^}]*Apple,[^}]*Pear,[^}]*\}"), enums);
        Assert.Equal("AppleOrPear", EnumTable.DerivedName(["Apple", "Pear"]));
        Assert.Equal("SaveToken", EnumTable.DerivedName(["Save"]));
        Assert.Equal("Tilde", EnumTable.MemberName("~"));
        Assert.Equal("NoEvict", EnumTable.MemberName("NO-EVICT"));
        Assert.Equal("Token1", EnumTable.MemberName("1"));
    }

    [Fact]
    public void TheOverrideTable_HasOneEntryPerTokenSet_AndNoNameTwice()
    {
        var keys = EnumNames.All.Select(e => EnumNames.KeyOf(e.Members.Select(m => m.Token))).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        var names = EnumNames.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (EnumNameOverride entry in EnumNames.All)
        {
            Assert.Equal(entry.Members.Count, entry.Members.Select(m => m.Member).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(EnumNames.KeyOf(entry.Members.Select(m => m.Token)), EnumNames.KeyOf(entry.Members.Select(m => m.Token).Reverse()));
        }
    }

    [SkippableFact]
    public void EveryTokenChoiceOfTheRepositorySpec_HasARoleNameFromTheTable()
    {
        Skip.IfNot(File.Exists(SpecDrivenTests.RepositorySpec), "no repository spec");
        var spec = Spec.CommandSpec.Merge([Spec.SpecParser.Parse(SpecDrivenTests.RepositorySpec, Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(SpecDrivenTests.RepositorySpec)))]);
        var tableNames = new HashSet<string>(EnumNames.All.Select(e => e.Name), StringComparer.Ordinal);

        var derived = new EnumTable(spec.Commands).All.Where(e => !tableNames.Contains(e.Name)).Select(e => e.Name).ToList();

        Assert.True(derived.Count == 0, "token sets of commands.json without an entry in Planning/EnumNames.cs: " + string.Join(", ", derived));
        Assert.Contains(new EnumTable(spec.Commands).All, e => e.Name == "ListSide");
        Assert.Contains(new EnumTable(spec.Commands).All, e => e.Name == "FlushMode");
    }

    private static string All(GeneratorRun run) => string.Concat(run.Result.GeneratedSources.Select(s => s.SourceText.ToString()));

    private static List<string> EnumNamesIn(GeneratorRun run)
        => Regex.Matches(All(run), @"global::Redis\.Commands\.(\w+)").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
}
