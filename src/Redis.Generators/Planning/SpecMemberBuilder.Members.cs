using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

// From a plan to members: the sync and async method, their command struct and their declaration.
internal sealed partial class SpecMemberBuilder
{
    private (SpecMember? Sync, SpecMember? Async, bool Typed) Members(string name, ReplyCase? variant, ReplyType reply, WriteNode plan, NameAllocator structNames, ISet<string> reserved)
    {
        var (resultType, typed) = SpecResultTypes.ResultType(reply);
        ParserChoice? parser = ReturnBinder.Choose(resultType, reply, topLevel: true, out _);
        if (parser is null)
        {
            resultType = SpecResultTypes.Object;
            typed = false;
            parser = ReturnBinder.Choose(resultType, reply, topLevel: true, out _)!;
        }
        var ordered = _required.Concat(_optional).ToList();
        var fields = ordered.Select(p => new CommandField(Field(p), p.Type, p.Name)).ToEquatableArray();
        var command = new CommandStruct(structNames.Allocate(name + "Command"), false, fields, _command.Wire, plan);
        string syntax = ArgumentSyntax.Command(_command);
        string? deprecation = _command.IsDeprecated ? $"Deprecated since {_command.DeprecatedSince ?? "?"}" + (_command.ReplacedBy is { } by ? $"; replaced by {Clean(by)}" : "") + "." : null;
        var nullChecks = ordered.Where(p => p.NullCheck).Select(p => p.Name).ToEquatableArray();
        var requiredChoices = ordered.Where(p => p.RequiredChoice).Select(p => p.Name).ToEquatableArray();
        bool isVoid = resultType.Shape == TypeShape.Void;

        SpecMember? sync = null, async = null;
        if (!reserved.Contains(name))
        {
            bool useParams = _optional.Count == 0 && _required.Count > 0 && _required[_required.Count - 1].ParamsCandidate;
            var parameters = ordered.Select((p, i) => new GeneratedParameter(useParams && i == ordered.Count - 1 ? "params " : "", p.Type, p.Name)).ToEquatableArray();
            var method = new GeneratedMethod(name, resultType.Display, parameters, isVoid ? BodyKind.SyncVoid : BodyKind.Sync, null, _command.Name, syntax,
                _command.Summary, _command.Since, deprecation, command, parser.Parser, parser.Result, null, nullChecks, false, Helpers: parser.Helpers, RequiredChoices: requiredChoices);
            sync = new SpecMember(Declaration(name, resultType.Display, parameters, variant, reply, syntax), method);
        }
        if (!reserved.Contains(name + "Async"))
        {
            string returnType = isVoid ? KnownTypes.ValueTask : $"{KnownTypes.ValueTask}<{resultType.Display}>";
            var parameters = ordered.Select(p => new GeneratedParameter("", p.Type, p.Name))
                .Append(new GeneratedParameter("", KnownTypes.CancellationToken, CancellationTokenName)).ToEquatableArray();
            var method = new GeneratedMethod(name + "Async", returnType, parameters, isVoid ? BodyKind.ValueTask : BodyKind.ValueTaskOfT, null, _command.Name, syntax,
                _command.Summary, _command.Since, deprecation, command, parser.Parser, parser.Result, CancellationTokenName, nullChecks, false,
                SharesCommand: sync is not null, Helpers: isVoid ? parser.Helpers with { DiscardValueTask = true } : parser.Helpers, RequiredChoices: requiredChoices);
            async = new SpecMember(Declaration(name + "Async", returnType, parameters, variant, reply, syntax), method);
        }
        return (sync, async, typed);
    }

    // The declaration in the partial interface, as a model: the emitter writes its doc comment and signature.
    private MemberDeclaration Declaration(string name, string returnType, EquatableArray<GeneratedParameter> parameters, ReplyCase? variant, ReplyType reply, string syntax)
    {
        string summary = _command.Summary is { Length: > 0 } s ? Xml(s.TrimEnd('.')) + "." : $"Sends <c>{Xml(_command.Name)}</c>.";
        // The command's syntax (tokens, optional parts, repeats) as redis.io writes it.
        var remarks = new List<string> { $"Sends <c>{Xml(syntax)}</c>" + (variant is null ? "." : $" with <c>{Xml(string.Join(", ", variant.Present))}</c> always sent.") };
        if (_command.Complexity is { Length: > 0 } complexity) remarks.Add("Complexity: " + Xml(complexity.TrimEnd('.')) + ".");
        if (_command.Since is not null) remarks.Add("Since Redis " + Xml(_command.Since) + ".");
        if (_command.IsDeprecated) remarks.Add($"Deprecated since {Xml(_command.DeprecatedSince ?? "?")}" + (_command.ReplacedBy is { } by ? "; use " + Xml(Clean(by)) : "") + ".");
        if (UsedRaw) remarks.Add("Some arguments are passed as raw words.");
        var declared = _required.Concat(_optional).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var list = new List<DeclaredParameter>();
        foreach (GeneratedParameter parameter in parameters)
        {
            if (parameter.Identifier == CancellationTokenName)
            {
                list.Add(new DeclaredParameter(parameter, "Cancels the wait for the reply.", ParameterDefault.Default));
                continue;
            }
            Param p = declared[parameter.Identifier];
            list.Add(new DeclaredParameter(parameter, p.Doc, p.Default));
        }
        string? returns = returnType != "void" && returnType != KnownTypes.ValueTask
            ? $"The reply, <c>{Xml(reply.Text)}</c>{(reply.Kind == ReplyKind.Bulk && !reply.Nullable ? " (nil throws RedisNilException)" : "")}."
            : null;
        string? obsolete = _command.IsDeprecated
            ? $"{_command.Name} is deprecated since Redis {_command.DeprecatedSince ?? "?"}" + (_command.ReplacedBy is { } replacement ? "; use " + Clean(replacement) : "") + "."
            : null;
        return new MemberDeclaration(name, returnType, list.ToEquatableArray(), summary, string.Join(" ", remarks), returns, obsolete);
    }

    private static string Clean(string text) => text.Replace("`", "");
}
