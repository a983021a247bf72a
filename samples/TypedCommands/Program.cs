// Typed commands: a user-declared interface checked against commands.json at compile time.
using Redis;
using Redis.Testing;
using TypedCommands;

// The server: the first argument or REDIS_URL (e.g. redis://localhost:6379). With neither, this run gets a
// throwaway server from the Redis.Testing package (a local redis-server, else an embedded Garnet in this
// process), so the sample runs on a machine with only the .NET SDK. An application has just the URL.
string? url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("REDIS_URL");
await using TestServer? throwaway = url is null ? await TestServer.StartAsync() : null;
url ??= throwaway!.Url;

using (IConn conn = Conn.DialUrl(url))
{
    IShop shop = IShop.Create(conn);
    string cart = "cart:" + Guid.NewGuid().ToString("N")[..8];

    shop.AddToCart(cart, "apple", 3);
    shop.AddToCart(cart, "pear", 1);
    long apples = shop.AddToCart(cart, "apple", 2);
    shop.ExpireCart(cart, 3600);
    long order = await shop.NextOrderNumberAsync("orders:next");

    Console.WriteLine($"apples in the cart: {apples}");
    foreach ((string item, string quantity) in shop.Cart(cart).OrderBy(p => p.Key))
    {
        Console.WriteLine($"  {item} x {quantity}");
    }
    Console.WriteLine($"order number: {order}");
    Console.WriteLine($"deleted: {shop.Del(cart)}");

    // The built-in API: every command of commands.json, typed, without declaring anything.
    IRedisCommands redis = conn.Commands();
    string key = "greeting:" + Guid.NewGuid().ToString("N")[..8];
    redis.Set(key, "hello", expiration: Expiration.Seconds(60));
    byte[]? greeting = redis.Get(key);
    long ttl = redis.Ttl(key);
    (byte[] Member, double Score)[] podium = BuildPodium(redis);
    Console.WriteLine($"built-in: {System.Text.Encoding.UTF8.GetString(greeting!)} (ttl {ttl} s)");
    Console.WriteLine($"podium: {string.Join(", ", podium.Select(p => $"{System.Text.Encoding.UTF8.GetString(p.Member)}={p.Score}"))}");
    redis.Del([key, "podium"]);
}


static (byte[] Member, double Score)[] BuildPodium(IRedisCommands redis)
{
    redis.ZAdd("podium", [(3.5, "carol"), (9.0, "alice"), (7.25, "bob")]);
    return redis.ZRangeWithScores("podium", 0, -1, rev: true);
}
