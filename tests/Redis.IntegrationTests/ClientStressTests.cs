using static Redis.Tests.Shared.TestCommands;
using System.Diagnostics;
using System.Text;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// Correctness under load: 64 callers, sync and async, share one <see cref="RedisClient"/> and run
/// thousands of mixed operations each (small and 1 MB values, typed and untyped calls, error replies,
/// cancellations, blocking commands). Every value encodes the caller and its sequence number, so any
/// reply handed to the wrong caller is caught.
/// </summary>
[Collection(ServerCollection.Name)]
public class ClientStressTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int Callers = 64;
    private const int OpsPerCaller = 2000;
    private const int LargeValueSize = 1024 * 1024;

    private sealed class Tally
    {
        public long Ops;
        public long Large;
        public long Errors;
        public long Cancelled;
        public long CancelledButAnswered;
        public long Blocking;
    }

    [Fact]
    public async Task SixtyFourMixedCallers_OnOneClient_EachGetOnlyTheirOwnReplies()
    {
        string prefix = ServerFixture.Key("stress");
        await using RedisClient client = RedisClient.Connect("tcp", fixture.Server.Address, clientOptions: new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(60) });
        byte[] large = new byte[LargeValueSize];
        Random.Shared.NextBytes(large);
        var tally = new Tally();
        var watch = Stopwatch.StartNew();

        Task[] callers = Enumerable.Range(0, Callers)
            .Select(id => id % 2 == 0
                ? Task.Factory.StartNew(() => RunSync(client, prefix, id, large, tally), TaskCreationOptions.LongRunning)
                : Task.Run(() => RunAsync(client, prefix, id, large, tally)))
            .ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(3));
        watch.Stop();

        ClientStats stats = client.Stats;
        output.WriteLine($"{Callers} callers x {OpsPerCaller} ops in {watch.Elapsed.TotalSeconds:0.0} s ({tally.Ops / watch.Elapsed.TotalSeconds:0} ops/s): " +
            $"{tally.Large} x 1 MB, {tally.Errors} error replies, {tally.Cancelled} cancelled ({tally.CancelledButAnswered} answered first), {tally.Blocking} blocking");
        output.WriteLine($"stats: {stats} — {stats.CommandsPerWrite:0.0} commands per write");
        Assert.Equal(Callers * OpsPerCaller, tally.Ops);
        Assert.True(tally.Large > 0 && tally.Errors > 0 && tally.Cancelled > 0 && tally.Blocking > 0);
        Assert.Equal(0, stats.Reconnects);
        Assert.True(stats.CommandsPerWrite > 1, $"no batching: {stats}");
        Assert.True(client.IsConnected);

        // Every counter reached exactly its caller's count: no INCR was lost or duplicated.
        for (int id = 0; id < Callers; id++)
        {
            Assert.Equal((long)(OpsPerCaller / 10), Reply.Int64(client.Do("GET", $"{prefix}:{id}:counter")));
        }
    }

    private static void RunSync(RedisClient client, string prefix, int id, byte[] large, Tally tally)
    {
        string key = $"{prefix}:{id}:k", counter = $"{prefix}:{id}:counter", big = $"{prefix}:{id}:big", list = $"{prefix}:{id}:list";
        long expectedCounter = 0;
        byte[] mineLarge = (byte[])large.Clone();
        for (int seq = 0; seq < OpsPerCaller; seq++)
        {
            string mine = $"caller {id} seq {seq}";
            switch (seq % 10)
            {
                case 0:
                    Assert.Equal(++expectedCounter, client.Execute<Incr, Int64Parser, long>(new Incr(counter), default));
                    break;
                case 1:
                    Assert.True(client.Execute<Set, OkParser, bool>(new Set(key, mine), default));
                    Assert.Equal(mine, client.Execute<Get, StringParser, string?>(new Get(key), default));
                    break;
                case 2 when seq % 500 == 2:
                    SetLarge(mineLarge, id, seq);
                    Assert.Equal("OK", client.Do("SET", big, mineLarge));
                    var back = (byte[])client.Do("GET", big)!;
                    Assert.Equal(LargeValueSize, back.Length);
                    Assert.Equal(Stamp(id, seq), Encoding.ASCII.GetString(back, 0, 32));
                    Interlocked.Increment(ref tally.Large);
                    break;
                case 3 when seq % 50 == 3:
                    Assert.Equal("WRONGTYPE", Assert.Throws<RedisServerException>(() => client.Do("LPUSH", key, mine)).Prefix);
                    Interlocked.Increment(ref tally.Errors);
                    break;
                case 4 when seq % 400 == 4:
                    client.Do("RPUSH", list, mine);
                    var popped = (object?[])client.Do("BLPOP", list, 1)!;
                    Assert.Equal(mine, Exec.Text(popped[1]));
                    Interlocked.Increment(ref tally.Blocking);
                    break;
                default:
                    Assert.Equal("OK", client.Do("SET", key, mine));
                    Assert.Equal(mine, Exec.Text(client.Do("GET", key)));
                    break;
            }
            Interlocked.Increment(ref tally.Ops);
        }
    }

    private static async Task RunAsync(RedisClient client, string prefix, int id, byte[] large, Tally tally)
    {
        string key = $"{prefix}:{id}:k", counter = $"{prefix}:{id}:counter", big = $"{prefix}:{id}:big", list = $"{prefix}:{id}:list";
        long expectedCounter = 0;
        byte[] mineLarge = (byte[])large.Clone();
        for (int seq = 0; seq < OpsPerCaller; seq++)
        {
            string mine = $"caller {id} seq {seq}";
            switch (seq % 10)
            {
                case 0:
                    Assert.Equal(++expectedCounter, await client.ExecuteAsync<Incr, Int64Parser, long>(new Incr(counter), default));
                    break;
                case 1:
                    Assert.True(await client.ExecuteAsync<Set, OkParser, bool>(new Set(key, mine), default));
                    Assert.Equal(mine, await client.ExecuteAsync<Get, StringParser, string?>(new Get(key), default));
                    break;
                case 2 when seq % 500 == 2:
                    SetLarge(mineLarge, id, seq);
                    Assert.Equal("OK", await client.DoAsync("SET", big, mineLarge));
                    var back = (byte[])(await client.DoAsync("GET", big))!;
                    Assert.Equal(LargeValueSize, back.Length);
                    Assert.Equal(Stamp(id, seq), Encoding.ASCII.GetString(back, 0, 32));
                    Interlocked.Increment(ref tally.Large);
                    break;
                case 3 when seq % 50 == 3:
                    var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.DoAsync("LPUSH", key, mine));
                    Assert.Equal("WRONGTYPE", error.Prefix);
                    Interlocked.Increment(ref tally.Errors);
                    break;
                case 4 when seq % 400 == 4:
                    await client.DoAsync("RPUSH", list, mine);
                    var popped = (object?[])(await client.DoAsync("BLPOP", list, 1))!;
                    Assert.Equal(mine, Exec.Text(popped[1]));
                    Interlocked.Increment(ref tally.Blocking);
                    break;
                case 5 when seq % 20 == 5:
                {
                    // Cancel while the GET is in flight: either the reply won the race (and must be ours)
                    // or the wait ends with a cancellation; the next call must be in step either way.
                    await client.DoAsync("SET", key, mine);
                    using var cts = new CancellationTokenSource();
                    ValueTask<object?> pending = client.DoAsync("GET", [key], cts.Token);
                    cts.Cancel();
                    try
                    {
                        Assert.Equal(mine, Exec.Text(await pending));
                        Interlocked.Increment(ref tally.CancelledButAnswered);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    Interlocked.Increment(ref tally.Cancelled);
                    Assert.Equal(mine, Exec.Text(await client.DoAsync("GET", key)));
                    break;
                }
                default:
                    Assert.Equal("OK", await client.DoAsync("SET", key, mine));
                    Assert.Equal(mine, Exec.Text(await client.DoAsync("GET", key)));
                    break;
            }
            Interlocked.Increment(ref tally.Ops);
        }
    }

    private static string Stamp(int id, int seq) => $"caller {id,5} seq {seq,10}".PadRight(32, '.');

    private static void SetLarge(byte[] value, int id, int seq) => Encoding.ASCII.GetBytes(Stamp(id, seq), value);
}
