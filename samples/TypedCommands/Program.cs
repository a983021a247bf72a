// Typed commands: a user-declared interface checked against commands.json at compile time.
using Redis;
using Redis.Testing;
using TypedCommands;

// REDIS_URL, else localhost:6379, else an embedded server (as samples/QuickStart does).
string url = Environment.GetEnvironmentVariable("REDIS_URL") ?? "redis://localhost:6379";
TestServer? embedded = null;
IConn conn;
try
{
    conn = Conn.DialUrl(url, new DialOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
}
catch (RedisConnectionException)
{
    Console.Error.WriteLine($"Nothing answers at {url}; starting an embedded Garnet server instead.");
    embedded = await TestServer.StartAsync(new TestServerOptions { PreferEmbedded = true, Log = Console.Error.WriteLine });
    conn = Conn.Dial("tcp", embedded.Address);
}

using (conn)
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

embedded?.Dispose();

static (byte[] Member, double Score)[] BuildPodium(IRedisCommands redis)
{
    redis.ZAdd("podium", [(3.5, "carol"), (9.0, "alice"), (7.25, "bob")]);
    return redis.ZRangeWithScores("podium", 0, -1, rev: true);
}
