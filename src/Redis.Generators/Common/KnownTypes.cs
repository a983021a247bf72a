namespace Redis.Generators;

/// <summary>
/// Every runtime type the generator reads from user code or writes into generated code, in one place:
/// the metadata name (<c>Redis.IConn</c>, for matching symbols) and the <c>global::</c>-qualified name
/// (for generated source). Renaming a runtime type means changing it here only.
/// </summary>
internal static class KnownTypes
{
    private const string Global = "global::";

    /// <summary>The runtime's namespace (metadata form).</summary>
    public const string RuntimeNamespace = "Redis";

    /// <summary>The namespace of the enums generated for token choices (<c>Redis.Commands.ListSide</c>).</summary>
    public const string EnumNamespace = "Redis.Commands";

    // ---- attributes (metadata names) -----------------------------------------------------------

    public const string RedisCommandsAttribute = "Redis.RedisCommandsAttribute";
    public const string RedisCommandAttribute = "Redis.RedisCommandAttribute";
    public const string GeneratedCommandTableAttribute = "Redis.GeneratedCommandTableAttribute";

    // ---- metadata names of types read from declarations ----------------------------------------

    public const string IConnName = "Redis.IConn";
    public const string IRespExecutorName = "Redis.IRespExecutor";
    public const string RedisKeyName = "Redis.RedisKey";
    public const string RedisValueName = "Redis.RedisValue";
    public const string RedisLeaseName = "Redis.RedisLease";

    /// <summary>The runtime interface every option type (<c>Expiration</c>, ...) implements.</summary>
    public const string IRespArgumentsName = "Redis.IRespArguments";

    // The hand-written option types, one parameter for a valued oneof (see Spec/OptionTypes.cs).
    public const string ExpirationName = "Redis.Expiration";
    public const string ExpirationUpdateName = "Redis.ExpirationUpdate";
    public const string GeoSearchOriginName = "Redis.GeoSearchOrigin";
    public const string GeoSearchShapeName = "Redis.GeoSearchShape";
    public const string MigrateAuthenticationName = "Redis.MigrateAuthentication";
    public const string ReplicationSourceName = "Redis.ReplicationSource";
    public const string SlotStateName = "Redis.SlotState";
    public const string CommandFilterName = "Redis.CommandFilter";

    // ---- global::-qualified names for generated code -------------------------------------------

    /// <summary>The <c>global::</c>-qualified name of a type given by its metadata name.</summary>
    public static string Qualify(string metadataName) => Global + metadataName;

    /// <summary>A type's display without the <c>global::</c> qualifiers (for messages and metadata-name lookups).</summary>
    public static string Unqualify(string display) => display.Replace(Global, "");

    public const string IConn = Global + IConnName;
    public const string IRespExecutor = Global + IRespExecutorName;
    public const string RespExecutor = Global + "Redis.RespExecutor";
    public const string Conn = Global + "Redis.Conn";
    public const string IRespCommand = Global + "Redis.IRespCommand";
    public const string IRespParser = Global + "Redis.IRespParser";
    public const string RespWriter = Global + "Redis.RespWriter";
    public const string RespReader = Global + "Redis.RespReader";
    public const string RedisNilException = Global + "Redis.RedisNilException";
    public const string CommandTable = Global + "Redis.CommandTable";
    public const string RedisKey = Global + RedisKeyName;
    public const string RedisValue = Global + RedisValueName;
    public const string RedisLease = Global + RedisLeaseName;

    // The command table's column types.
    public const string CommandFlags = Global + "Redis.CommandFlags";
    public const string RequestPolicy = Global + "Redis.RequestPolicy";
    public const string ResponsePolicy = Global + "Redis.ResponsePolicy";
    public const string KeySpec = Global + "Redis.KeySpec";
    public const string KeySpecFlags = Global + "Redis.KeySpecFlags";
    public const string KeyBeginSearch = Global + "Redis.KeyBeginSearch";
    public const string KeyFind = Global + "Redis.KeyFind";

    // The runtime's reply parsers (generic ones take their element parsers as type arguments).
    public const string OkParser = Global + "Redis.OkParser";
    public const string BooleanParser = Global + "Redis.BooleanParser";
    public const string Int64Parser = Global + "Redis.Int64Parser";
    public const string Int32Parser = Global + "Redis.Int32Parser";
    public const string DoubleParser = Global + "Redis.DoubleParser";
    public const string CursorParser = Global + "Redis.CursorParser";
    public const string StringParser = Global + "Redis.StringParser";
    public const string ObjectParser = Global + "Redis.ObjectParser";
    public const string BytesParser = Global + "Redis.BytesParser";
    public const string LeaseParser = Global + "Redis.LeaseParser";
    public const string ArrayParser = Global + "Redis.ArrayParser";
    public const string PairsParser = Global + "Redis.PairsParser";
    public const string MapParser = Global + "Redis.MapParser";
    public const string NullableParser = Global + "Redis.NullableParser";

    /// <summary>The tuple parser for <paramref name="arity"/> elements (<c>Tuple2Parser</c>, <c>Tuple3Parser</c>).</summary>
    public static string TupleParser(int arity) => Global + "Redis.Tuple" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Parser";

    // ---- BCL types written into generated code -------------------------------------------------

    public const string ValueTask = Global + "System.Threading.Tasks.ValueTask";
    public const string CancellationToken = Global + "System.Threading.CancellationToken";
    public const string Dictionary = Global + "System.Collections.Generic.Dictionary";
    public const string ArgumentNullException = Global + "System.ArgumentNullException";
    public const string ArgumentException = Global + "System.ArgumentException";
    public const string ArgumentOutOfRangeException = Global + "System.ArgumentOutOfRangeException";
    public const string NotSupportedException = Global + "System.NotSupportedException";
    public const string ObsoleteAttribute = Global + "System.Obsolete";
    public const string GeneratedCodeAttribute = Global + "System.CodeDom.Compiler.GeneratedCode";
    public const string ReadOnlyMemoryOfByte = Global + "System.ReadOnlyMemory<byte>";
}
