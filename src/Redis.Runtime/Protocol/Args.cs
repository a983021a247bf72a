using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;

namespace Redis;

/// <summary>
/// A builder for command arguments, redigo's <c>Args</c>:
/// <c>conn.Do("HSET", new Args().Add("user:1").AddFlat(fields).ToArray())</c>. It is an
/// <see cref="IReadOnlyList{T}"/>, so it can also be passed as is where a list of arguments is taken.
/// </summary>
/// <remarks>
/// <see cref="Add(object?)"/> appends values as they are. <c>AddFlat</c> flattens one value:
/// <list type="bullet">
/// <item><description><see langword="null"/> appends nothing.</description></item>
/// <item><description>An <see cref="IRedisArg"/>, a <see cref="string"/>, a <see cref="byte"/> array,
/// <see cref="ReadOnlyMemory{T}"/> or <see cref="Memory{T}"/> of bytes, an
/// <see cref="ArraySegment{T}"/> of bytes, a number, a <see cref="bool"/>, an enum or another scalar
/// (<see cref="DateTime"/>, <see cref="Guid"/>...) is appended as one value. Unlike redigo, a byte
/// array is <em>not</em> split into its bytes.</description></item>
/// <item><description>A dictionary (<see cref="IDictionary"/>, which every dictionary of the base class
/// library implements) or a sequence of <see cref="KeyValuePair{TKey,TValue}"/> appends key, value,
/// key, value... in enumeration order.</description></item>
/// <item><description>Any other collection (<see cref="IEnumerable"/>) appends its elements, one level
/// deep (an element that is itself a collection is appended as one value).</description></item>
/// <item><description>Any other object appends <c>name, value</c> for each public readable instance
/// property, base class properties first, each class's in declaration order; a property whose value is
/// <see langword="null"/> is skipped, name included (as redigo skips a nil pointer field).</description></item>
/// </list>
/// <para>Only plain objects need reflection. <see cref="AddFlat{T}(T)"/> reads the properties of the
/// static type <c>T</c>, which the trimmer keeps, so it is safe in trimmed and native
/// AOT applications; <see cref="AddFlat(object?)"/> reads the properties of the runtime type and is
/// marked as requiring unreferenced code.</para>
/// </remarks>
public sealed class Args : IReadOnlyList<object?>
{
    private const string ReflectionWarning =
        "AddFlat(object?) reads the public properties of a plain object's runtime type by reflection, and trimming may remove them. " +
        "Call AddFlat<T>(T) with the value's own static type, or pass a dictionary or a collection.";

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertyCache = new();

    private readonly List<object?> _items;

    /// <summary>Creates an empty argument list.</summary>
    public Args() => _items = [];

    /// <summary>Creates an empty argument list with room for <paramref name="capacity"/> values.</summary>
    /// <param name="capacity">The number of values to make room for.</param>
    public Args(int capacity) => _items = new List<object?>(capacity);

    /// <summary>The number of values.</summary>
    public int Count => _items.Count;

    /// <summary>The value at <paramref name="index"/>.</summary>
    /// <param name="index">The zero-based position.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the list.</exception>
    public object? this[int index] => _items[index];

    /// <summary>Appends one value as is.</summary>
    /// <param name="value">The value (<see langword="null"/> is appended too, and is sent as an empty string).</param>
    /// <returns>This instance, for chaining.</returns>
    public Args Add(object? value)
    {
        _items.Add(value);
        return this;
    }

    /// <summary>Appends the values as they are (a collection among them is not flattened; see <c>AddFlat</c>).</summary>
    /// <param name="values">The values. A <see langword="null"/> array (as from <c>Add(null)</c>) appends one <see langword="null"/> value.</param>
    /// <returns>This instance, for chaining.</returns>
    public Args Add(params object?[]? values)
    {
        if (values is null)
            _items.Add(null);
        else
            _items.AddRange(values);
        return this;
    }

    /// <summary>
    /// Flattens <paramref name="value"/> as described in the class remarks. A plain object appends the
    /// public properties of <typeparamref name="T"/> (its static type), which the trimmer preserves.
    /// </summary>
    /// <typeparam name="T">The static type of the value; for a plain object, the type whose properties are appended.</typeparam>
    /// <param name="value">The value to flatten.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is a plain object but <typeparamref name="T"/> is
    /// <see cref="object"/>, so its properties are unknown; or it is a sequence of key/value pairs whose type cannot be read
    /// without reflection.</exception>
    public Args AddFlat<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T value)
    {
        if (value is null || TryAddFlatWithoutReflection(value))
            return this;
        if (typeof(T) == typeof(object))
        {
            throw new ArgumentException(
                $"Args.AddFlat: a {value.GetType().Name} passed as object cannot be flattened, because its properties are not known " +
                "statically. Pass it with its own type, or call AddFlat(object?) if the application is not trimmed.",
                nameof(value));
        }
        AddProperties(value, GetProperties(typeof(T)));
        return this;
    }

    /// <summary>
    /// Flattens <paramref name="value"/> as described in the class remarks. A plain object appends the
    /// public properties of its runtime type, found by reflection.
    /// </summary>
    /// <param name="value">The value to flatten; <see langword="null"/> appends nothing.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is a sequence of key/value pairs whose type cannot be
    /// read without reflection.</exception>
    [RequiresUnreferencedCode(ReflectionWarning)]
    public Args AddFlat(object? value)
    {
        if (value is null || TryAddFlatWithoutReflection(value))
            return this;
        AddProperties(value, GetProperties(value.GetType()));
        return this;
    }

    /// <summary>Appends key, value, key, value... for each pair, in enumeration order (no reflection, no boxing of the pairs).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <param name="pairs">The pairs; <see langword="null"/> appends nothing.</param>
    /// <returns>This instance, for chaining.</returns>
    public Args AddFlat<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>>? pairs)
    {
        if (pairs is null)
            return this;
        foreach (KeyValuePair<TKey, TValue> pair in pairs)
        {
            _items.Add(pair.Key);
            _items.Add(pair.Value);
        }
        return this;
    }

    /// <summary>Copies the values to a new array, ready for <see cref="IConn.Do"/>.</summary>
    /// <returns>The values.</returns>
    public object?[] ToArray() => _items.ToArray();

    /// <summary>Enumerates the values in order.</summary>
    /// <returns>An enumerator.</returns>
    public IEnumerator<object?> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Everything but plain objects. Returns false when <paramref name="value"/> is a plain object.</summary>
    private bool TryAddFlatWithoutReflection(object value)
    {
        switch (value)
        {
            case IRedisArg or string or byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte>:
                _items.Add(value);
                return true;
            case KeyValuePair<object?, object?>[] map:
                foreach (KeyValuePair<object?, object?> pair in map)
                {
                    _items.Add(pair.Key);
                    _items.Add(pair.Value);
                }
                return true;
            case IDictionary dictionary:
            {
                IDictionaryEnumerator entries = dictionary.GetEnumerator();
                try
                {
                    while (entries.MoveNext())
                    {
                        _items.Add(entries.Key);
                        _items.Add(entries.Value);
                    }
                }
                finally
                {
                    (entries as IDisposable)?.Dispose();
                }
                return true;
            }
            case IEnumerable sequence:
                foreach (object? element in sequence)
                    AddElement(element, sequence);
                return true;
        }
        if (IsScalar(value.GetType()))
        {
            _items.Add(value);
            return true;
        }
        return false;
    }

    /// <summary>One element of a flattened collection: a key/value pair appends both, anything else is appended as is.</summary>
    private void AddElement(object? element, IEnumerable sequence)
    {
        switch (element)
        {
            case KeyValuePair<object?, object?> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case KeyValuePair<string, object?> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case KeyValuePair<string, string?> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case KeyValuePair<string, byte[]?> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case KeyValuePair<string, long> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case KeyValuePair<string, int> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case KeyValuePair<string, double> pair:
                _items.Add(pair.Key);
                _items.Add(pair.Value);
                break;
            case DictionaryEntry entry:
                _items.Add(entry.Key);
                _items.Add(entry.Value);
                break;
            case not null when element.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>):
                throw new ArgumentException(
                    $"Args.AddFlat: the {type.Name} elements of a {sequence.GetType().Name} cannot be read without reflection. " +
                    "Pass the pairs as IEnumerable<KeyValuePair<TKey, TValue>> (AddFlat<TKey, TValue>) or as a dictionary.",
                    nameof(sequence));
            default:
                _items.Add(element);
                break;
        }
    }

    private void AddProperties(object value, PropertyInfo[] properties)
    {
        foreach (PropertyInfo property in properties)
        {
            object? propertyValue = property.GetValue(value);
            if (propertyValue is null)
                continue;
            _items.Add(property.Name);
            _items.Add(propertyValue);
        }
    }

    /// <summary>Values appended as one argument even though they are not collections.</summary>
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum ||
        type == typeof(decimal) || type == typeof(BigInteger) || type == typeof(Int128) || type == typeof(UInt128) ||
        type == typeof(Half) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) ||
        type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Guid) ||
        type == typeof(ReadOnlyMemory<char>) || type == typeof(Memory<char>) || type == typeof(Uri);

    private static PropertyInfo[] GetProperties([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        if (PropertyCache.TryGetValue(type, out PropertyInfo[]? cached))
            return cached;
        PropertyInfo[] properties = FindProperties(type);
        PropertyCache.TryAdd(type, properties);
        return properties;
    }

    /// <summary>Public readable instance properties without index parameters, base class first, each class's in declaration order.</summary>
    private static PropertyInfo[] FindProperties([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        PropertyInfo[] all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var found = new List<(int Depth, int Order, PropertyInfo Property)>(all.Length);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < all.Length; i++)
        {
            PropertyInfo property = all[i];
            if (property.GetMethod is not { IsPublic: true } || property.PropertyType.IsByRefLike || property.GetIndexParameters().Length != 0)
                continue;
            // GetProperties lists the most derived declarations first: a hidden base property ('new') is dropped.
            if (!names.Add(property.Name))
                continue;
            found.Add((Depth(property.DeclaringType), i, property));
        }
        found.Sort(static (a, b) => a.Depth != b.Depth ? a.Depth.CompareTo(b.Depth) : a.Order.CompareTo(b.Order));
        var result = new PropertyInfo[found.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = found[i].Property;
        return result;
    }

    private static int Depth(Type? type)
    {
        int depth = 0;
        for (Type? t = type?.BaseType; t is not null; t = t.BaseType)
            depth++;
        return depth;
    }
}
