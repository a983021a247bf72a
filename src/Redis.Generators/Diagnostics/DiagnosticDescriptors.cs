using Microsoft.CodeAnalysis;

namespace Redis.Generators;

/// <summary>
/// Every diagnostic the command generator reports. Ids are stable (<c>RDS0001</c>...); the table is
/// documented in README.md and tracked in AnalyzerReleases.*.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "RedisCommands";

    public static readonly DiagnosticDescriptor UnknownCommand = new(
        "RDS0001",
        "Unknown command",
        "Method '{0}' maps to '{1}', which is not a callable command of the command spec{2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The method's [RedisCommand] name, or the command inferred from its name, is not in commands.json (or is a container such as CLIENT, which is not callable itself).");

    public static readonly DiagnosticDescriptor ArgumentCountMismatch = new(
        "RDS0002",
        "Parameters do not match the command's arguments",
        "Method '{0}' does not match the arguments of {1}: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every required argument of the command needs a parameter, in order, and every parameter must match an argument (optional arguments by name or position). Commands without argument docs are checked against their arity.");

    public static readonly DiagnosticDescriptor ParameterTypeNotAllowed = new(
        "RDS0003",
        "Parameter type not allowed for the command argument",
        "Parameter '{0}' of type '{1}' cannot be sent as the {2} argument '{3}' of {4}: {5}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each spec argument type accepts a set of C# types: key accepts string, byte[], ReadOnlyMemory<byte>, RedisKey; string and pattern also accept RedisValue and numbers; integer accepts integral types; and so on (see README.md).");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "RDS0004",
        "Unsupported return type",
        "Method '{0}' returns '{1}', which the generator cannot read a reply into: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The return type chooses how the reply is read. Supported: void, bool, long, int, double, ulong, string, byte[], ReadOnlyMemory<byte>, object, arrays, dictionaries, pair arrays and tuples of these, nullable value types, and Task/ValueTask of any of them.");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = new(
        "RDS0005",
        "Unsupported parameter",
        "Parameter '{0}' of method '{1}' is not supported: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The parameter's type or modifier can never be written as a command argument (ref/out parameters, arbitrary classes, a CancellationToken that is not last).");

    public static readonly DiagnosticDescriptor MustBePartial = new(
        "RDS0006",
        "[RedisCommands] type must be partial",
        "'{0}' must be declared partial so the generator can add its Create methods{1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds static Create methods to the interface, which needs the interface, and every type that contains it, to be partial.");

    public static readonly DiagnosticDescriptor NotAnInterface = new(
        "RDS0007",
        "[RedisCommands] applies to interfaces only",
        "'{0}' is a {1}; [RedisCommands] applies to partial interfaces only",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator implements interfaces; declare a partial interface and put the attribute on it.");

    public static readonly DiagnosticDescriptor GenericInterface = new(
        "RDS0008",
        "Generic [RedisCommands] interfaces are not supported",
        "'{0}' is generic{1}; [RedisCommands] interfaces and the types that contain them cannot have type parameters",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated implementation is a non-generic class; declare a non-generic interface.");

    public static readonly DiagnosticDescriptor NoCommandSpec = new(
        "RDS0009",
        "No commands.json",
        "No commands.json was found for [RedisCommands] interface '{0}'; add the spec as <AdditionalFiles Include=\"commands.json\" />",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator reads every AdditionalFiles item named commands.json or *.commands.json. Without one it cannot check or implement the interface, and generates nothing.");

    public static readonly DiagnosticDescriptor MalformedCommandSpec = new(
        "RDS0010",
        "Malformed commands.json",
        "{0} is not a valid command spec: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The spec file could not be read (JSON syntax error, or a value of the wrong kind). While a spec file is broken no interface is generated.");

    public static readonly DiagnosticDescriptor MemberNameClash = new(
        "RDS0011",
        "Generated member name clash",
        "'{0}' clashes with {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Two members would get the same generated signature (for example a user method named Create taking an IConn, or two methods that differ only in nullability or tuple names); rename one.");

    public static readonly DiagnosticDescriptor UnknownSpecName = new(
        "RDS0012",
        "Command or group not in the spec",
        "{0} '{1}' is not in the command spec{2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every name given to [RedisCommands(Commands = ...)] must be a command of commands.json, and every name given to Groups a group that some command belongs to.");

    public static readonly DiagnosticDescriptor CancellationTokenOnSyncMethod = new(
        "RDS0013",
        "CancellationToken on a synchronous method",
        "Synchronous method '{0}' cannot take a CancellationToken; return Task or ValueTask (and name the method ...Async) to make it cancellable",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Only asynchronous methods pass a CancellationToken to the executor; a synchronous call cannot be cancelled.");

    public static readonly DiagnosticDescriptor UnsupportedMember = new(
        "RDS0014",
        "Unsupported interface member",
        "Member '{0}' cannot be implemented by the generator: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [RedisCommands] interface may declare methods only (properties, events, indexers, generic methods and static abstract members cannot be generated); give such members a default implementation or move them elsewhere.");

    public static readonly DiagnosticDescriptor DeprecatedCommand = new(
        "RDS0015",
        "Deprecated command",
        "Method '{0}' sends {1}, which is deprecated since Redis {2}{3}",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "The spec marks the command as deprecated; it still works on the servers that have it.");

    public static readonly DiagnosticDescriptor DuplicateSpecCommand = new(
        "RDS0016",
        "Command defined twice",
        "Command '{0}' is already defined in {1}; this definition is ignored",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "When several spec files define the same command, the first file (in AdditionalFiles order) wins.");

    public static readonly DiagnosticDescriptor FlattenedChoice = new(
        "RDS0017",
        "One choice declared as several parameters",
        "Method '{0}' declares parameters {1} for the alternatives of {2} in {3} ({4}), so a caller can pass two and the server rejects the command; {5}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A oneof whose alternatives carry values is one choice: declare it as one parameter whose type can hold only one alternative (Expiration for SET, ExpirationUpdate for GETEX, or your own struct implementing Redis.IRespArguments). The flattened form is still generated.");

    public static readonly DiagnosticDescriptor SpecMemberNotPlanned = new(
        "RDS0018",
        "Spec-driven member takes raw arguments",
        "The spec-driven member '{0}' could not get typed parameters for {1}: {2}; it takes the command's arguments as raw words (params RedisValue[])",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The planner has no rule for a shape of the command's argument tree (in commands.json). The member is still generated, untyped; declare the method yourself in the interface to type it, or report the shape.");

    public static readonly DiagnosticDescriptor InternalError = new(
        "RDS0099",
        "Generator failure",
        "The Redis command generator failed on '{0}': {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An unexpected error in the generator; nothing was generated for this input. Please report it with the message.");
}
