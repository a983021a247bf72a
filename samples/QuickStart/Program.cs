// The seed example of redigo, in C#: dial, SET a apple, GET a, print "apple".
using Redis;
using Redis.Testing;

// Connect to REDIS_URL, else localhost:6379. When nothing answers there, start an embedded
// server (Garnet, in this process) so the sample runs on a machine with only the .NET SDK.
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
    conn.Do("SET", "a", "apple");
    string? fruit = Reply.String(conn.Do("GET", "a"));
    Console.WriteLine(fruit);
}

embedded?.Dispose();
