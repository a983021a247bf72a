namespace Redis.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one interface's file, as strings and equatable records:
/// no symbols, no syntax, no locations. Equal models give identical source, so the source output
/// stays cached when only trivia or unrelated code changes. Spec-driven members (Commands=/Groups=)
/// are meant to be added as more <see cref="GeneratedMethod"/>s built by the same binder.
/// </summary>
internal sealed record GeneratedInterface(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeInfo> ContainingTypes,
    string InterfaceName,
    string FullyQualifiedName,
    string ImplementationName,
    bool ImplementationIsFileLocal,
    string ExecutorField,
    bool EmitCreateFromConn,
    bool EmitCreateFromExecutor,
    bool FactoriesHideInherited,
    EquatableArray<GeneratedMethod> Methods,
    HelperSet Helpers,
    string DiscardMethod,
    EquatableArray<GeneratedEnum> Enums = default,
    EquatableArray<string> HeaderComments = default,
    EquatableArray<GeneratedPart> Parts = default);

/// <summary>
/// The spec-driven members of one command group (the spec's <c>group</c>: string, list, sorted-set...),
/// written to their own file (<c>IRedisCommands.SortedSet.g.cs</c>) so a change to the generated API
/// shows up as a readable diff: the interface and its implementation class are partial.
/// </summary>
internal sealed record GeneratedPart(string Group, string HintName, EquatableArray<MemberDeclaration> MemberDeclarations, EquatableArray<GeneratedMethod> Methods);

/// <summary>
/// A member the generator declares in the partial interface (a spec-driven member): its signature and the
/// XML doc fragments (already escaped) the emitter writes as its doc comment.
/// </summary>
internal sealed record MemberDeclaration(
    string Name,
    string ReturnType,
    EquatableArray<DeclaredParameter> Parameters,
    string Summary,
    string Remarks,
    string? Returns,
    string? ObsoleteMessage);

/// <summary>A parameter of a <see cref="MemberDeclaration"/>: the implementation's parameter, its doc and its default.</summary>
internal sealed record DeclaredParameter(GeneratedParameter Parameter, string Doc, ParameterDefault Default);

/// <summary>The default value of an optional parameter.</summary>
internal enum ParameterDefault
{
    /// <summary>Required: no default.</summary>
    None,
    /// <summary><c>= null</c>.</summary>
    Null,
    /// <summary><c>= default</c>.</summary>
    Default,
    /// <summary><c>= false</c>.</summary>
    False,
}

/// <summary>The helper parsers and adapters a file needs (emitted inside the implementation class).</summary>
internal sealed record HelperSet(bool NotNil, bool NilAsFalse, bool Memory, bool As, bool DiscardValueTask)
{
    public static readonly HelperSet None = new(false, false, false, false, false);

    public HelperSet Union(HelperSet other) => new(NotNil || other.NotNil, NilAsFalse || other.NilAsFalse, Memory || other.Memory, As || other.As, DiscardValueTask || other.DiscardValueTask);
}

internal enum BodyKind
{
    /// <summary><c>return Execute(...)</c>.</summary>
    Sync,
    /// <summary><c>_ = Execute(...)</c> for <c>void</c>.</summary>
    SyncVoid,
    /// <summary><c>return ExecuteAsync(...)</c>.</summary>
    ValueTaskOfT,
    /// <summary><c>return ExecuteAsync(...).AsTask()</c>.</summary>
    TaskOfT,
    /// <summary>A <c>ValueTask&lt;bool&gt;</c> of OkParser turned into a <c>ValueTask</c>.</summary>
    ValueTask,
    /// <summary>A <c>ValueTask&lt;bool&gt;</c> of OkParser turned into a <c>Task</c>.</summary>
    Task,
    /// <summary>The method could not be generated (a diagnostic says why): it throws.</summary>
    Stub,
}

internal sealed record GeneratedParameter(string Modifiers, string Type, string Identifier);

/// <summary>One implemented method and its command struct.</summary>
internal sealed record GeneratedMethod(
    string Name,
    string ReturnType,
    EquatableArray<GeneratedParameter> Parameters,
    BodyKind Kind,
    string? StubMessage,
    string CommandName,
    string? Syntax,
    string? Summary,
    string? Since,
    string? Deprecation,
    CommandStruct? Command,
    string? ParserType,
    string? ResultType,
    string? CancellationToken,
    EquatableArray<string> NullChecks,
    bool Oblivious,
    bool SharesCommand = false,
    HelperSet? Helpers = null,
    EquatableArray<string> RequiredChoices = default);

/// <summary>A <c>readonly struct</c> (or <c>readonly ref struct</c>) implementing IRespCommand.</summary>
internal sealed record CommandStruct(
    string Name,
    bool IsRefStruct,
    EquatableArray<CommandField> Fields,
    EquatableArray<string> Words,
    WriteNode Body);

internal sealed record CommandField(string Name, string Type, string Parameter);

/// <summary>How the arguments are written: a small tree the emitter turns into WriteTo and the header count.</summary>
internal abstract record WriteNode;

/// <summary>A literal token (<c>"NX"u8</c>).</summary>
internal sealed record TokenNode(string Token) : WriteNode;

/// <summary>One bulk string: <c>writer.WriteBulkString(Expression)</c>, or <c>Expression.WriteTo(writer)</c>.</summary>
internal sealed record ValueNode(ValueRef Value, bool SelfWriting, ValueConversion Conversion = ValueConversion.None) : WriteNode;

/// <summary>
/// An option that writes its own arguments (a <c>Redis.IRespArguments</c> struct such as <c>Expiration</c>):
/// <c>Expression.ArgumentCount</c> bulks, written by <c>Expression.WriteTo(writer)</c>, both called on the
/// concrete type so nothing is boxed.
/// </summary>
internal sealed record ArgumentsNode(ValueRef Value) : WriteNode;

/// <summary>An enum value written as the token its member names.</summary>
internal sealed record EnumTokenNode(ValueRef Value, string EnumType, string ParameterName, EquatableArray<EnumToken> Tokens) : WriteNode;

internal sealed record EnumToken(string Member, string Token);

/// <summary>One of two writes with the same number of bulks (XADD's id, or <c>*</c> when it is null).</summary>
internal sealed record IfElseNode(WriteCondition Condition, WriteNode Then, WriteNode Else) : WriteNode;

internal sealed record SequenceNode(EquatableArray<WriteNode> Items) : WriteNode;

/// <summary>
/// Written when a condition holds. <see cref="WriteCondition"/> may declare a pattern variable the
/// body uses (<c>_px is { } v0</c>); <see cref="CountCondition"/> is the same test without it.
/// </summary>
internal sealed record IfNode(WriteCondition Condition, WriteNode Body, WriteNode? CountBody = null) : WriteNode;

internal enum CollectionKind
{
    Array,
    Span,
    List,
}

/// <summary>A repeated argument: each item of a collection written with <see cref="Item"/> (a constant number of bulks).</summary>
internal sealed record RepeatNode(
    string Collection,
    CollectionKind Kind,
    bool MayBeNull,
    string ItemType,
    string ItemVariable,
    string IndexVariable,
    WriteNode Item,
    int ItemCount,
    string? TokenOnce) : WriteNode;
