using Redis;

namespace TypedCommands;

/// <summary>
/// A shop's Redis commands, declared once: the generator checks every method against commands.json
/// at compile time and writes the implementation (no object[], no boxing, replies read straight
/// into the return types).
/// </summary>
[RedisCommands]
public partial interface IShop
{
    /// <summary>Adds <paramref name="quantity"/> of an item to a cart (HINCRBY).</summary>
    [RedisCommand("HINCRBY")]
    long AddToCart(string cart, string item, long quantity);

    /// <summary>The whole cart (HGETALL).</summary>
    [RedisCommand("HGETALL")]
    Dictionary<string, string> Cart(string cart);

    /// <summary>Lets the cart expire after <paramref name="seconds"/> (EXPIRE).</summary>
    [RedisCommand("EXPIRE")]
    bool ExpireCart(string cart, long seconds);

    /// <summary>The next order number (INCR), asynchronously.</summary>
    [RedisCommand("INCR")]
    ValueTask<long> NextOrderNumberAsync(string counter, CancellationToken cancellationToken = default);

    /// <summary>Command inferred from the name: DEL with several keys.</summary>
    long Del(params string[] keys);
}
