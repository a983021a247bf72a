using System;
using System.Collections.Generic;
using System.Linq;

namespace Redis.Generators.Planning;

/// <summary>One entry of the override table: the name for a token set, and its members in declaration order.</summary>
internal sealed record EnumNameOverride(string Name, string Role, IReadOnlyList<(string Token, string Member)> Members);

/// <summary>
/// The checked-in names of the generated token-choice enums (namespace <c>Redis.Commands</c>). An enum
/// is identified by its set of tokens, order-insensitive; the table maps each known set to a name
/// that says the argument's role (<c>ListSide</c> for LEFT|RIGHT, <c>FlushMode</c> for ASYNC|SYNC),
/// and fixes the member names and their order (so the members' numeric values never move either).
/// </summary>
/// <remarks>
/// <para>
/// Why a C# table inside the generator and not a JSON file beside commands.json: the names are part
/// of the public API of the runtime <em>and</em> of every user interface that asks for spec-driven
/// members with its own spec files. A table compiled into the generator applies to all of them the
/// same way (a user's spec cannot rename <c>Redis.Commands.ListSide</c>), needs no extra
/// AdditionalFiles item or parser, is reviewed like code, and changes only with a generator release.
/// </para>
/// <para>
/// A token set not in the table gets a name built from its tokens alone (see
/// <see cref="EnumTable.DerivedName"/>), never from the commands that use it, so adding a spec file
/// never renames an existing enum.
/// </para>
/// </remarks>
internal static class EnumNames
{
    private static readonly EnumNameOverride[] Table =
    {
        Entry("ListSide", "the end of a list (LMOVE/BLMOVE wherefrom and whereto, LMPOP/BLMPOP where)", ("LEFT", "Left"), ("RIGHT", "Right")),
        Entry("InsertPosition", "where LINSERT inserts, relative to the pivot", ("BEFORE", "Before"), ("AFTER", "After")),
        Entry("FlushMode", "how FLUSHDB, FLUSHALL, SCRIPT FLUSH and FUNCTION FLUSH free memory", ("ASYNC", "Async"), ("SYNC", "Sync")),
        Entry("SetCondition", "write only if the key or member does not exist (NX) or exists (XX): SET, ZADD, GEOADD", ("NX", "Nx"), ("XX", "Xx")),
        Entry("ExpireCondition", "when EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT set the time to live", ("NX", "Nx"), ("XX", "Xx"), ("GT", "Gt"), ("LT", "Lt")),
        Entry("ScoreCondition", "update an existing member only if the new score is greater (GT) or less (LT): ZADD", ("GT", "Gt"), ("LT", "Lt")),
        Entry("SortOrder", "the order of SORT and of the GEO searches", ("ASC", "Asc"), ("DESC", "Desc")),
        Entry("GeoUnit", "the distance unit of GEODIST, GEOSEARCH and GEORADIUS", ("M", "Meters"), ("KM", "Kilometers"), ("FT", "Feet"), ("MI", "Miles")),
        Entry("RangeMode", "what ZRANGE and ZRANGESTORE range over", ("BYSCORE", "ByScore"), ("BYLEX", "ByLex")),
        Entry("SortedSetSide", "the end of a sorted set ZMPOP and BZMPOP pop from", ("MIN", "Min"), ("MAX", "Max")),
        Entry("Aggregate", "how ZUNION, ZINTER and their STORE forms combine the scores of a member", ("SUM", "Sum"), ("MIN", "Min"), ("MAX", "Max")),
        Entry("TrimStrategy", "what XADD and XTRIM trim by", ("MAXLEN", "MaxLen"), ("MINID", "MinId")),
        Entry("TrimPrecision", "exact (=) or approximate (~) trimming for XADD and XTRIM", ("=", "Exact"), ("~", "Approximate")),
        Entry("BitUnit", "whether BITCOUNT and BITPOS indexes count bytes or bits", ("BYTE", "Byte"), ("BIT", "Bit")),
        Entry("BitFieldOverflow", "the overflow behaviour of BITFIELD", ("WRAP", "Wrap"), ("SAT", "Sat"), ("FAIL", "Fail")),
        Entry("ClientType", "the client types CLIENT LIST filters by", ("NORMAL", "Normal"), ("MASTER", "Master"), ("REPLICA", "Replica"), ("PUBSUB", "PubSub")),
        Entry("ClientKillType", "the client types CLIENT KILL filters by (SLAVE is the old name of REPLICA)", ("NORMAL", "Normal"), ("MASTER", "Master"), ("SLAVE", "Slave"), ("REPLICA", "Replica"), ("PUBSUB", "PubSub")),
        Entry("ClientPauseMode", "which commands CLIENT PAUSE holds", ("WRITE", "Write"), ("ALL", "All")),
        Entry("ClientReplyMode", "whether the server replies to the client (CLIENT REPLY)", ("ON", "On"), ("OFF", "Off"), ("SKIP", "Skip")),
        Entry("UnblockMode", "how CLIENT UNBLOCK ends the blocked call", ("TIMEOUT", "Timeout"), ("ERROR", "Error")),
        Entry("OnOff", "a switch (CLIENT NO-EVICT, CLIENT TRACKING)", ("ON", "On"), ("OFF", "Off")),
        Entry("YesNo", "a yes/no choice (CLIENT CACHING)", ("YES", "Yes"), ("NO", "No")),
        Entry("ScriptDebugMode", "the SCRIPT DEBUG mode", ("YES", "Yes"), ("SYNC", "Sync"), ("NO", "No")),
        Entry("ShutdownSaveMode", "whether SHUTDOWN saves the dataset", ("NOSAVE", "NoSave"), ("SAVE", "Save")),
        Entry("FailoverMode", "how CLUSTER FAILOVER proceeds", ("FORCE", "Force"), ("TAKEOVER", "Takeover")),
        Entry("ClusterResetMode", "how much CLUSTER RESET forgets", ("HARD", "Hard"), ("SOFT", "Soft")),
        Entry("RestorePolicy", "what FUNCTION RESTORE does with existing libraries", ("FLUSH", "Flush"), ("APPEND", "Append"), ("REPLACE", "Replace")),
    };

    private static readonly Dictionary<string, EnumNameOverride> ByKey = Table.ToDictionary(e => KeyOf(e.Members.Select(m => m.Token)), StringComparer.Ordinal);

    /// <summary>Every entry (for tests and docs).</summary>
    public static IReadOnlyList<EnumNameOverride> All => Table;

    /// <summary>The order-insensitive key of a token set: the upper-cased tokens, sorted ordinally, joined by '|'.</summary>
    public static string KeyOf(IEnumerable<string> tokens)
        => string.Join("|", tokens.Select(t => t.ToUpperInvariant()).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal));

    /// <summary>The override for a token set, if the table has one.</summary>
    public static EnumNameOverride? Find(string key) => ByKey.TryGetValue(key, out EnumNameOverride? entry) ? entry : null;

    private static EnumNameOverride Entry(string name, string role, params (string Token, string Member)[] members) => new(name, role, members);
}
