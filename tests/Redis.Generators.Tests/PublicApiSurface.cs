using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Redis.Generators.Tests;

/// <summary>
/// The public surface of a built assembly as sorted lines, one per type or member, in C#-like
/// syntax with nullable annotations and tuple element names (read from the compiler's
/// <see cref="NullableAttribute"/>s and <see cref="TupleElementNamesAttribute"/>): what callers can
/// see, including every member the generator adds. Explicit interface implementations, private and
/// internal members, and compiler-generated members are not part of it. Not shown: the nullability
/// of base types and implemented interfaces, and of type parameters (metadata does not say it the same way).
/// </summary>
internal static class PublicApiSurface
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<string> Lines(Assembly assembly)
    {
        // Sorted by the type or member name (modifiers left out), so a type's lines stay together.
        var lines = new List<(string Key, string Line)>();
        var nullability = new NullabilityInfoContext();
        foreach (Type type in assembly.GetExportedTypes())
        {
            string name = TypeName(type);
            lines.Add((name, TypeLine(type, name)));
            if (type.IsEnum)
            {
                foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    lines.Add(($"{name}.{field.Name}", $"{name}.{field.Name} = {Convert.ToString(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}"));
                }
                continue;
            }
            if (IsDelegate(type))
            {
                MethodInfo invoke = type.GetMethod("Invoke")!;
                lines.Add(($"{name}.Invoke", $"{name}.Invoke({Parameters(invoke, nullability)}) -> {Format(invoke.ReturnParameter, nullability)}"));
                continue;
            }
            foreach (MemberInfo member in type.GetMembers(Declared))
            {
                if (!Visible(member) || member.IsDefined(typeof(CompilerGeneratedAttribute), false)) continue;
                string? line = member switch
                {
                    ConstructorInfo c when !(type.IsValueType && c.GetParameters().Length == 0) => $"{Modifiers(c)}{name}.{name.Split('.')[^1].Split('<')[0]}({Parameters(c, nullability)})",
                    MethodInfo m when !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal) => $"{Modifiers(m)}{name}.{m.Name}{GenericArguments(m)}({Parameters(m, nullability)}) -> {Format(m.ReturnParameter, nullability)}",
                    PropertyInfo p => $"{Modifiers(p.GetMethod ?? p.SetMethod!)}{name}.{(p.GetIndexParameters().Length > 0 ? "this[" + string.Join(", ", p.GetIndexParameters().Select(x => Format(x, nullability))) + "]" : p.Name)} {{ {Accessors(p)} }} -> {Format(nullability.Create(p), p.PropertyType, TupleNames(p))}",
                    FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{name}.{f.Name} -> {Format(nullability.Create(f), f.FieldType, TupleNames(f))}",
                    EventInfo e => $"{(e.AddMethod!.IsStatic ? "static " : "")}event {name}.{e.Name} -> {Format(nullability.Create(e), e.EventHandlerType!, null)}",
                    _ => null,
                };
                if (line is not null) lines.Add((line.Substring(line.IndexOf(name + ".", StringComparison.Ordinal)), line));
            }
        }
        return lines.OrderBy(l => l.Key, StringComparer.Ordinal).ThenBy(l => l.Line, StringComparer.Ordinal).Select(l => l.Line).ToList();
    }

    private static bool IsDelegate(Type type) => typeof(Delegate).IsAssignableFrom(type.BaseType);

    private static bool Visible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => new[] { p.GetMethod, p.SetMethod }.Any(a => a is not null && Visible(a)),
        EventInfo e => e.AddMethod is { } add && Visible(add),
        _ => false,
    };

    private static string TypeLine(Type type, string name)
    {
        string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : IsDelegate(type) ? "delegate" : type.IsValueType ? (IsReadOnly(type) ? "readonly struct" : "struct")
            : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
        if (type.IsByRefLike) kind = kind.Replace("struct", "ref struct", StringComparison.Ordinal);
        var bases = new List<string>();
        if (type.IsEnum) bases.Add(Format(Enum.GetUnderlyingType(type)));
        else if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && !IsDelegate(type)) bases.Add(Format(b));
        if (!type.IsEnum && !IsDelegate(type))
        {
            // Only the interfaces the type declares itself, not those its base or its interfaces bring.
            var inherited = new HashSet<Type>((type.BaseType?.GetInterfaces() ?? []).Concat(type.GetInterfaces().SelectMany(i => i.GetInterfaces())));
            bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i) && (i.IsPublic || i.IsNestedPublic)).Select(Format).Order(StringComparer.Ordinal));
        }
        string obsolete = type.IsDefined(typeof(ObsoleteAttribute), false) ? "[Obsolete] " : "";
        return $"{obsolete}{kind} {name}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    private static bool IsReadOnly(Type type) => type.GetCustomAttributesData().Any(a => a.AttributeType.Name == "IsReadOnlyAttribute");

    private static string Modifiers(MethodBase method)
    {
        var text = new StringBuilder();
        if (method.IsDefined(typeof(ObsoleteAttribute), false)) text.Append("[Obsolete] ");
        if (method.IsFamily || method.IsFamilyOrAssembly) text.Append("protected ");
        if (method.IsStatic) text.Append("static ");
        if (method.DeclaringType!.IsInterface) return text.Append(method.IsAbstract ? "" : method.IsStatic ? "" : "virtual ").ToString();
        if (method.IsAbstract) text.Append("abstract ");
        else if (method is MethodInfo info && method.IsVirtual && !method.IsFinal)
        {
            text.Append(info.GetBaseDefinition() != info ? "override " : "virtual ");
        }
        return text.ToString();
    }

    private static string Accessors(PropertyInfo property)
    {
        var parts = new List<string>();
        if (property.GetMethod is { } get && Visible(get)) parts.Add("get;");
        if (property.SetMethod is { } set && Visible(set))
        {
            bool init = set.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
            parts.Add(init ? "init;" : "set;");
        }
        return string.Join(" ", parts);
    }

    private static string GenericArguments(MethodInfo method)
        => method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability)
        => string.Join(", ", method.GetParameters().Select(p => Format(p, nullability) + (p.HasDefaultValue ? " = " + Default(p.DefaultValue, p.ParameterType) : "")));

    private static string Default(object? value, Type type) => value switch
    {
        null => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    private static string Format(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        Type type = parameter.ParameterType;
        string prefix = "";
        if (type.IsByRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            type = type.GetElementType()!;
        }
        if (parameter.Position >= 0 && parameter.Member is MethodBase m && m.GetParameters() is { Length: > 0 } all && all[^1] == parameter && parameter.IsDefined(typeof(ParamArrayAttribute), false)) prefix = "params " + prefix;
        string text = Format(nullability.Create(parameter), type, TupleNames(parameter));
        return parameter.Position < 0 ? text : prefix + text + " " + parameter.Name;
    }

    private static IList<string?>? TupleNames(ICustomAttributeProvider provider)
        => provider.GetCustomAttributes(typeof(TupleElementNamesAttribute), false).OfType<TupleElementNamesAttribute>().FirstOrDefault()?.TransformNames;

    private static string Format(Type type) => Format(null, type, null);

    private static string Format(NullabilityInfo? info, Type type, IList<string?>? tupleNames)
    {
        int index = 0;
        return Format(info, type, tupleNames, ref index);
    }

    // Tuple element names come in pre-order: a tuple's own names, then those of the tuples inside it.
    private static string Format(NullabilityInfo? info, Type type, IList<string?>? names, ref int index)
    {
        if (type.IsByRef) type = type.GetElementType()!;
        string suffix = info is not null && !type.IsValueType && info.ReadState == NullabilityState.Nullable ? "?" : "";
        if (type.IsArray)
        {
            string element = Format(info?.ElementType, type.GetElementType()!, names, ref index);
            return element + "[" + new string(',', type.GetArrayRank() - 1) + "]" + suffix;
        }
        // A type parameter's annotation is not read reliably from metadata (an unconstrained T reads as nullable): the name alone.
        if (type.IsGenericParameter) return type.Name;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Format(info?.GenericTypeArguments.FirstOrDefault(), underlying, names, ref index) + "?";
        }
        if (type.IsGenericType)
        {
            Type[] args = type.GetGenericArguments();
            NullabilityInfo[]? infos = info?.GenericTypeArguments;
            if (type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true || (type.IsConstructedGenericType && type.GetGenericTypeDefinition().FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true))
            {
                var own = new string?[args.Length];
                for (int i = 0; i < args.Length; i++) own[i] = names is not null && index < names.Count ? names[index++] : null;
                var elements = new List<string>();
                for (int i = 0; i < args.Length; i++)
                {
                    string element = Format(infos is not null && i < infos.Length ? infos[i] : null, args[i], names, ref index);
                    elements.Add(own[i] is { } n ? element + " " + n : element);
                }
                return "(" + string.Join(", ", elements) + ")";
            }
            string definition = Name(type);
            var formatted = new List<string>();
            for (int i = 0; i < args.Length; i++) formatted.Add(Format(infos is not null && i < infos.Length ? infos[i] : null, args[i], names, ref index));
            return definition + "<" + string.Join(", ", formatted) + ">" + suffix;
        }
        return Keyword(type) + suffix;
    }

    private static string Keyword(Type type) => type.FullName switch
    {
        "System.Void" => "void",
        "System.Object" => "object",
        "System.String" => "string",
        "System.Boolean" => "bool",
        "System.Byte" => "byte",
        "System.SByte" => "sbyte",
        "System.Char" => "char",
        "System.Int16" => "short",
        "System.UInt16" => "ushort",
        "System.Int32" => "int",
        "System.UInt32" => "uint",
        "System.Int64" => "long",
        "System.UInt64" => "ulong",
        "System.Single" => "float",
        "System.Double" => "double",
        "System.Decimal" => "decimal",
        _ => Name(type),
    };

    private static string Name(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (type.IsNested && !type.IsGenericParameter) return Name(type.DeclaringType!) + "." + name;
        return string.IsNullOrEmpty(type.Namespace) ? name : type.Namespace + "." + name;
    }

    private static string TypeName(Type type)
    {
        string name = Name(type);
        if (type.IsGenericTypeDefinition) name += "<" + string.Join(", ", type.GetGenericArguments().Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0).Select(a => a.Name)) + ">";
        return name;
    }
}
