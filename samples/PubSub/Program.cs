// A small chat over pub/sub: one publisher, three subscribers, a clean shutdown.
// Each subscriber has a PubSubConn of its own and reads the room with ReadMessagesAsync; the
// publisher speaks through a pooled connection. "/quit" ends every subscriber's loop, after which it
// unsubscribes and closes its connection.
using Redis;
using Redis.Testing;

(string url, TestServer? embedded) = await FindServerAsync();
string room = $"chat:room:{Guid.NewGuid():N}";
string[] members = ["alice", "bob", "carol"];
using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // a safety net, not the normal way out

var joined = members.ToDictionary(name => name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
Task<int>[] listeners = [.. members.Select(name => ListenAsync(name))];
await Task.WhenAll(joined.Values.Select(j => j.Task)).WaitAsync(giveUp.Token);
Console.WriteLine($"{string.Join(", ", members)} joined {room}");

using (Pool pool = Pool.Create(url))
await using (IConn publisher = await pool.GetAsync(giveUp.Token))
{
    string[] script =
    [
        "alice: hello everyone",
        "bob: hi alice!",
        "carol: good morning",
        "alice: shall we ship it?",
        "bob: tests are green, ship it",
    ];
    foreach (string line in script)
    {
        long receivers = Reply.Int64(await publisher.DoAsync("PUBLISH", room, line));
        Console.WriteLine($"published \"{line}\" to {receivers} subscribers");
        await Task.Delay(50, giveUp.Token);
    }
    await publisher.DoAsync("PUBLISH", room, "/quit");
}

int[] counts = await Task.WhenAll(listeners).WaitAsync(giveUp.Token);
for (int i = 0; i < members.Length; i++) Console.WriteLine($"{members[i]} read {counts[i]} messages and left");
embedded?.Dispose();
return 0;

async Task<int> ListenAsync(string name)
{
    await using var subscriber = new PubSubConn(await Conn.DialUrlAsync(url, cancellationToken: giveUp.Token));
    await subscriber.SubscribeAsync([room], giveUp.Token);
    // The first notification is the server's confirmation: from now on nothing published is missed.
    var confirmation = (Subscription)await subscriber.ReceiveAsync(giveUp.Token);
    joined[name].SetResult();

    int read = 0;
    await foreach (Message message in subscriber.ReadMessagesAsync(giveUp.Token))
    {
        if (message.Text == "/quit") break;
        read++;
        Console.WriteLine($"  [{name}'s screen] {message.Text}");
    }
    // Leaving cleanly: unsubscribe and wait for the server to confirm, then close.
    await subscriber.UnsubscribeAsync([confirmation.Channel], giveUp.Token);
    while (await subscriber.ReceiveAsync(giveUp.Token) is not Subscription { Kind: "unsubscribe" })
    {
    }
    return read;
}

// REDIS_URL, else localhost:6379; when nothing answers there, an embedded server (Garnet, in this
// process) so the sample runs on a machine with only the .NET SDK.
static async Task<(string Url, TestServer? Embedded)> FindServerAsync()
{
    string url = Environment.GetEnvironmentVariable("REDIS_URL") ?? "redis://localhost:6379";
    try
    {
        using IConn probe = await Conn.DialUrlAsync(url, new DialOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
        return (url, null);
    }
    catch (RedisConnectionException)
    {
        Console.Error.WriteLine($"Nothing answers at {url}; starting an embedded Garnet server instead.");
        TestServer server = await TestServer.StartAsync(new TestServerOptions { PreferEmbedded = true, Log = Console.Error.WriteLine });
        return (server.Url, server);
    }
}
