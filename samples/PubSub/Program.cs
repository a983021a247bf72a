// A small chat over pub/sub: one publisher, three subscribers, a clean shutdown.
// Each subscriber has a PubSubConn of its own and reads the room with ReadMessagesAsync; the
// publisher speaks through a pooled connection. "/quit" ends every subscriber's loop, after which it
// unsubscribes and closes its connection.
using Redis;
using Redis.Testing;

// The server: the first argument or REDIS_URL (e.g. redis://localhost:6379). With neither, this run gets a
// throwaway server from the Redis.Testing package (a local redis-server, else an embedded Garnet in this
// process), so the sample runs on a machine with only the .NET SDK. An application has just the URL.
string? url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("REDIS_URL");
await using TestServer? throwaway = url is null ? await TestServer.StartAsync() : null;
url ??= throwaway!.Url;

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
