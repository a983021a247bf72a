using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>Binds one method: its command, its parameters and its return type.</summary>
internal static class MethodBinder
{
    public static GeneratedMethod Bind(MethodDeclaration method, CommandSpec spec, EnumTable enums, NameAllocator names, List<DiagnosticInfo> diagnostics, out HelperSet helpers)
    {
        helpers = HelperSet.None;
        int before = diagnostics.Count;
        Location? location = method.Location;
        TypeDesc returnType = method.ReturnType;

        // 1. Sync or async, from the return type.
        BodyKind kind;
        TypeDesc result;
        switch (returnType.Shape)
        {
            case TypeShape.ValueTask when returnType.Args.Count == 1: kind = BodyKind.ValueTaskOfT; result = returnType.Args[0]; break;
            case TypeShape.Task when returnType.Args.Count == 1: kind = BodyKind.TaskOfT; result = returnType.Args[0]; break;
            case TypeShape.ValueTask: kind = BodyKind.ValueTask; result = Void; break;
            case TypeShape.Task: kind = BodyKind.Task; result = Void; break;
            case TypeShape.Void: kind = BodyKind.SyncVoid; result = returnType; break;
            default: kind = BodyKind.Sync; result = returnType; break;
        }
        bool isAsync = kind is BodyKind.ValueTaskOfT or BodyKind.TaskOfT or BodyKind.ValueTask or BodyKind.Task;
        CommandNameMatcher.StripAsync(method.Name, out bool asyncName);
        if (asyncName && !isAsync)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, method.ReturnTypeLocation ?? location,
                method.Name, Short(returnType), "a method named ...Async must return Task, Task<T>, ValueTask or ValueTask<T>"));
        }

        // 2. The command.
        SpecCommand? command = null;
        string? variant = null;
        if (method.HasCommandAttribute)
        {
            string name = method.CommandName ?? "";
            command = name.Trim().Length == 0 ? null : spec.Find(name);
            if (command is null || command.IsContainer)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownCommand, method.CommandNameLocation ?? location,
                    method.Name, SpecParser.Normalize(name), Hint(command, spec)));
                command = null;
            }
        }
        else
        {
            CommandMatch match = CommandNameMatcher.Match(method.Name, spec);
            if (match.Command is null || match.Command.IsContainer)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownCommand, location,
                    method.Name, match.Command?.Name ?? match.Tried, Hint(match.Command, spec, "; map the method with [RedisCommand(\"NAME\")]")));
            }
            else
            {
                command = match.Command;
                variant = match.Variant;
            }
        }
        if (command is not null && command.IsDeprecated)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DeprecatedCommand, method.CommandNameLocation ?? location,
                method.Name, command.Name, command.DeprecatedSince ?? "?", command.ReplacedBy is { } replaced ? "; use " + replaced.Replace("`", "") : ""));
        }

        // 3. Parameters: a trailing CancellationToken goes to ExecuteAsync; the rest are arguments.
        var arguments = new List<ParameterDeclaration>();
        string? cancellationToken = null;
        bool parametersOk = true;
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterDeclaration parameter = method.Parameters[i];
            if (parameter.Type.Shape == TypeShape.CancellationToken)
            {
                if (!isAsync)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CancellationTokenOnSyncMethod, parameter.Location ?? location, method.Name));
                    parametersOk = false;
                }
                else if (i != method.Parameters.Count - 1)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, parameter.Location ?? location,
                        parameter.Name, method.Name, "a CancellationToken must be the last parameter"));
                    parametersOk = false;
                }
                else
                {
                    cancellationToken = parameter.Identifier;
                }
                continue;
            }
            if (parameter.RefKind is RefKind.Ref or RefKind.Out or RefKind.RefReadOnlyParameter)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, parameter.Location ?? location,
                    parameter.Name, method.Name, $"{(parameter.RefKind == RefKind.RefReadOnlyParameter ? "ref readonly" : parameter.RefKind.ToString().ToLowerInvariant())} parameters cannot be sent; pass the value"));
                parametersOk = false;
                continue;
            }
            if (!Writable(parameter.Type))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, parameter.Location ?? location,
                    parameter.Name, method.Name, $"'{Short(parameter.Type)}' cannot be written as a command argument (use string, byte[], ReadOnlyMemory<byte>, RedisKey, RedisValue, a number, bool, an enum, an option such as Expiration, a tuple, or an array/IReadOnlyList/ReadOnlySpan of these)"));
                parametersOk = false;
                continue;
            }
            arguments.Add(parameter);
        }

        // 4. The reply.
        ReplyType? reply = null;
        if (command?.Reply is { } specReply)
        {
            ReplyCase chosen = variant is null ? specReply.Default : specReply.Cases.First(c => c.Variant == variant);
            bool nullable = variant is null ? specReply.Cases.Any(c => c.Variant is null && c.Type.Nullable) : chosen.Type.Nullable;
            reply = chosen.Type with { Nullable = nullable };
        }
        ParserChoice? parser = ReturnBinder.Choose(result, reply, topLevel: true, out string? reason);
        if (parser is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, method.ReturnTypeLocation ?? location,
                method.Name, Short(returnType), reason ?? "unsupported"));
        }

        // 5. The arguments.
        WriteNode? plan = null;
        ArgumentBinder? binder = null;
        if (command is not null && parametersOk)
        {
            IEnumerable<string> pinned = variant is null ? Enumerable.Empty<string>() : command.Reply!.Cases.First(c => c.Variant == variant).Present;
            binder = new ArgumentBinder(command, arguments, isAsync, method.Name, location, pinned, diagnostics, enums);
            plan = binder.Bind();
        }

        EquatableArray<GeneratedParameter> parameters = method.Parameters.Select(ToGenerated).ToEquatableArray();
        bool oblivious = returnType.ContainsOblivious || method.Parameters.Any(p => p.Type.ContainsOblivious);
        bool failed = diagnostics.Skip(before).Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        if (failed || command is null || plan is null || parser is null || binder is null)
        {
            string message = diagnostics.Skip(before).FirstOrDefault(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error) is { } first
                ? first.Descriptor.Id + ": " + first.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture)
                : "the method could not be generated";
            return new GeneratedMethod(method.Name, returnType.Display, parameters, BodyKind.Stub, message, command?.Name ?? "", null, null, null, null,
                null, null, null, null, EquatableArray<string>.Empty, oblivious);
        }

        helpers = parser.Helpers;
        if (kind == BodyKind.ValueTask) helpers = helpers with { DiscardValueTask = true };
        var fields = arguments.Select(p => new CommandField(ArgumentBinder.Field(p), p.Type.Display, p.Identifier)).ToEquatableArray();
        bool isRefStruct = arguments.Any(p => p.Type.Shape == TypeShape.ReadOnlySpan);
        var commandStruct = new CommandStruct(names.Allocate(method.Name + "Command"), isRefStruct, fields, command.Wire, plan);
        string syntax = ArgumentSyntax.Command(command);
        string? deprecation = command.IsDeprecated ? $"Deprecated since {command.DeprecatedSince ?? "?"}" + (command.ReplacedBy is { } by ? $"; replaced by {by.Replace("`", "")}" : "") + "." : null;
        return new GeneratedMethod(
            method.Name,
            returnType.Display,
            parameters,
            kind,
            null,
            command.Name,
            syntax,
            command.Summary,
            command.Since,
            deprecation,
            commandStruct,
            parser.Parser,
            parser.Result,
            cancellationToken,
            binder.NullChecks.ToEquatableArray(),
            oblivious,
            RequiredChoices: binder.RequiredChoices.ToEquatableArray());
    }

    private static readonly TypeDesc Void = new(TypeShape.Void, "void", "void", Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty, EquatableArray<string>.Empty);

    private static GeneratedParameter ToGenerated(ParameterDeclaration parameter)
    {
        string modifiers = parameter.IsParams ? "params " : parameter.IsScoped ? "scoped " : "";
        modifiers += parameter.RefKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            RefKind.RefReadOnlyParameter => "ref readonly ",
            _ => "",
        };
        return new GeneratedParameter(modifiers, parameter.Type.Display, parameter.Identifier);
    }

    // Types the writer can handle in some argument position (the spec argument decides the rest).
    private static bool Writable(TypeDesc type)
    {
        TypeDesc t = type.Underlying;
        if (ArgumentBinder.Collection(t) is { } collection) t = collection.Element.Underlying;
        if (t.Shape == TypeShape.Tuple) return t.Args.All(a => Scalar(a.Underlying));
        // An option (Expiration) stands alone, for one oneof: never in a collection or a tuple.
        if (type.Underlying.Shape == TypeShape.Arguments) return true;
        return Scalar(t) || t.Shape == TypeShape.Enum;
    }

    private static bool Scalar(TypeDesc t)
        => t.Shape is TypeShape.String or TypeShape.RedisKey or TypeShape.RedisValue or TypeShape.Boolean or TypeShape.Double or TypeShape.Single or TypeShape.DateTimeOffset
            || t.IsIntegral || t.IsByteArray || t.IsByteMemory || t.IsByteSpan || t.Shape == TypeShape.Enum;

    private static string Hint(SpecCommand? command, CommandSpec spec, string fallback = "")
    {
        if (command is not null && command.IsContainer)
        {
            string example = spec.Subcommands(command).Select(s => s.Name).FirstOrDefault() ?? command.Name + " <SUBCOMMAND>";
            return $"; {command.Name} is a container: name one of its subcommands, such as {example}";
        }
        return fallback;
    }

    internal static string Short(TypeDesc type) => KnownTypes.Unqualify(type.Display);
}
