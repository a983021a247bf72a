// The seed example of redigo, in C#: dial, SET a apple, GET a, print "apple".
using Redis;
using Redis.Testing;

// The server: the first argument or REDIS_URL (e.g. redis://localhost:6379). With neither, this run gets a
// throwaway server from the Redis.Testing package (a local redis-server, else an embedded Garnet in this
// process), so the sample runs on a machine with only the .NET SDK. An application has just the URL.
string? url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("REDIS_URL");
await using TestServer? throwaway = url is null ? await TestServer.StartAsync() : null;
url ??= throwaway!.Url;

using IConn conn = Conn.DialUrl(url);
conn.Do("SET", "a", "apple");
string? fruit = Reply.String(conn.Do("GET", "a"));
Console.WriteLine(fruit);
