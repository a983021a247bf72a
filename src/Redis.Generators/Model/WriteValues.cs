namespace Redis.Generators.Model;

/// <summary>
/// What a write step reads, as a model (the emitter alone turns it into C#): a command-struct field or a
/// pattern variable by name, an element of a tuple, a nullable's value, or a collection's length.
/// </summary>
internal abstract record ValueRef
{
    /// <summary>A field (<c>_key</c>) or variable (<c>v0</c>, <c>item1</c>) by its name.</summary>
    public static implicit operator ValueRef(string name) => new NamedValue(name);

    /// <summary>The tuple element <paramref name="name"/> of this value.</summary>
    public ValueRef Element(string name) => new ElementValue(this, name);
}

/// <summary>A field or variable.</summary>
internal sealed record NamedValue(string Name) : ValueRef;

/// <summary>A named tuple element (<c>Item1</c> when the tuple has no names).</summary>
internal sealed record ElementValue(ValueRef Tuple, string Name) : ValueRef;

/// <summary>The value of a nullable value type, read without a pattern variable (for the header count).</summary>
internal sealed record DefaultedValue(ValueRef Nullable) : ValueRef;

/// <summary>The length of an array field, 0 when it may be null and is.</summary>
internal sealed record LengthValue(string Collection, bool MayBeNull) : ValueRef;

/// <summary>How a value becomes the bulk string the writer sends.</summary>
internal enum ValueConversion
{
    /// <summary>As it is (a string, bytes, a long or double, or a self-writing RedisKey/RedisValue).</summary>
    None,
    /// <summary>A smaller integer widened to <c>long</c>.</summary>
    Int64,
    /// <summary>The span of a <c>ReadOnlyMemory&lt;byte&gt;</c>.</summary>
    Span,
    /// <summary>A <c>DateTimeOffset</c> as Unix seconds.</summary>
    UnixSeconds,
    /// <summary>A <c>DateTimeOffset</c> as Unix milliseconds.</summary>
    UnixMilliseconds,
    /// <summary>A null string sent empty (as redigo sends nil).</summary>
    EmptyIfNull,
}

/// <summary>When a conditional write step writes.</summary>
internal abstract record WriteCondition;

/// <summary>The value is not null; <see cref="Variable"/>, when given, names its non-null value for the body.</summary>
internal sealed record NotNullCondition(ValueRef Value, string? Variable) : WriteCondition;

/// <summary>A <c>bool</c> (or <c>bool?</c>, then only <c>true</c>) value is true.</summary>
internal sealed record TrueCondition(ValueRef Value, bool Nullable) : WriteCondition;

/// <summary>An option (<c>IRespArguments</c>) sends at least one argument (it is not <c>default</c>).</summary>
internal sealed record HasArgumentsCondition(ValueRef Value) : WriteCondition;
