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
}

embedded?.Dispose();
