using System.Diagnostics;
using System.Globalization;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests.Faults;

// FaultTests: RedisClient (pipelined, multiplexed) through the same faults: no misdelivery, recovery, no leaks.
public partial class FaultTests
{
    [SkippableFact]
    public async Task Fault_Client_NeverMisdeliversAndRecovers()
    {
        const int Callers = 16, RoundsPerCaller = 120, Steps = 4, MaxStalls = 2, RefusalWindows = 2;
        string run = ServerFixture.Key("fault-client");
        var tally = new FaultTally();
        var recovery = new FaultTally();
        int fdBefore = SocketCensus.OpenDescriptors();
        int readersBefore = SocketCensus.ThreadsNamed(ReaderThreadName);
        var watch = Stopwatch.StartNew();
        bool calm = false;
        int readersWhileConnected = 0, stallsPlanned = 0, stallsReleased = 0, stallsAtEnd = 0, refusals = 0;
        long longestSilence = 0, reordered = 0;
        ClientStats stats;
        FaultCounters counters;
        int proxyPort, clientSocketsLeft;
        // A connection lives for up to ~80 commands (or ~150 replies); the name makes a handshake, so a
        // refusal or an early cut fails the reconnect itself (the client then waits out its backoff).
        Func<int, Random, FaultPlan> mixed = FaultPlan.Mixed(faultRate: 1.0, maxAfterBytes: 6000, stallShare: 0);
        FaultPlan Plan(int index, Random random)
        {
            if (Volatile.Read(ref calm)) return FaultPlan.None;
            if (index == 0) return new FaultPlan(FaultKind.CutServerToClient, 400); // past the handshake: the first connect has no retry
            FaultPlan plan = mixed(index, random);
            if (index % 20 == 10 && stallsPlanned < MaxStalls)
            {
                stallsPlanned++;
                return new FaultPlan(FaultKind.Stall, random.Next(100, 1000)); // after tens of replies
            }
            return plan;
        }
        await using (FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed + 5, Plan))
        {
            proxyPort = proxy.Port;
            using (RedisClient client = RedisClient.Connect("tcp", proxy.Address, FaultDial with { ClientName = "fault-client" }, FaultClient))
            {
                readersWhileConnected = SocketCensus.ThreadsNamed(ReaderThreadName);
                var workloads = Enumerable.Range(0, Callers).Select(caller => new ClientFaultWorkload(run, caller, tally)).ToArray();
                using var storming = new CancellationTokenSource();
                Task watchdog = Task.Run(async () =>
                {
                    // Cuts a stall the client has not left by itself within StallRelease (counted: a
                    // healthy client leaves it first), opens two windows of refused connects, and
                    // measures the longest time no caller got any reply.
                    for (int tick = 1; !storming.IsCancellationRequested; tick++)
                    {
                        await Task.Delay(50);
                        stallsReleased += proxy.ReleaseStalls(StallRelease);
                        if (tick % 20 == 0 && refusals < RefusalWindows)
                        {
                            refusals++;
                            proxy.RefuseFor(TimeSpan.FromMilliseconds(150));
                        }
                        long silence = Environment.TickCount64 - workloads.Max(w => w.LastSuccess);
                        longestSilence = Math.Max(longestSilence, silence);
                    }
                });
                await Task.WhenAll(workloads.Select(workload => Task.Run(async () =>
                {
                    bool useAsync = workload.Caller % 2 == 1;
                    var random = new Random(HashCode.Combine(Seed, workload.Caller, 5));
                    for (int round = 0; round < RoundsPerCaller; round++)
                    {
                        tally.Round();
                        // A failed call ends the round; the client reconnects meanwhile (or is waiting
                        // out its backoff, when calls fail at once): give it a moment.
                        if (!await workload.RunAsync(client, Steps, useAsync, random)) await Task.Delay(random.Next(1, 10));
                    }
                })));
                storming.Cancel();
                await watchdog;
                reordered = workloads.Sum(w => w.Reordered);

                // After the storm: no more faults; the connection in use may still hold a fault that has
                // not fired yet, so it is closed and the client reconnects to a clean one.
                Volatile.Write(ref calm, true);
                stallsAtEnd = proxy.ReleaseStalls(TimeSpan.Zero);
                proxy.CloseSessions();
                await WaitUntil(() => Recovered(client), "the client to serve again after the storm");
                await Task.WhenAll(Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
                {
                    var workload = new ClientFaultWorkload(run + ":after", caller, recovery);
                    var random = new Random(HashCode.Combine(Seed, caller, 6));
                    for (int round = 0; round < 50; round++)
                    {
                        recovery.Round();
                        await workload.RunAsync(client, Steps, useAsync: caller % 2 == 1, random);
                    }
                })));
                stats = client.Stats;
            }
            clientSocketsLeft = SocketCensus.ClientSocketsTo(proxy.Port); // the client is disposed: none may be left open
            await WaitForSessionsToEnd(proxy);
            counters = proxy.Counters;
        }
        int socketsAfter = SocketCensus.SocketsOnPorts(proxyPort);
        int fdAfter = SocketCensus.OpenDescriptors();
        int readersAfter = await SocketCensus.ThreadsNamedOnceEnded(ReaderThreadName, readersBefore);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[figures] client faults (seed {Seed + 5}, {watch.Elapsed.TotalSeconds:0.0} s): {tally}; {reordered} pipelined GETs ran before their SET; client: {stats.Reconnects} reconnects, {stats.Commands} commands in {stats.Writes} writes, {stats.Replies} replies; proxy: {counters}; {refusals} refusal windows; stalls cut by the test after {StallRelease.TotalSeconds:0} s: {stallsReleased} of {counters.Stalls} ({stallsAtEnd} more still holding it when the storm ended); longest time no caller got a reply {longestSilence / 1000.0:0.0} s; after the storm: {recovery}; client sockets left open {clientSocketsLeft}; reader threads {readersBefore} -> {readersWhileConnected} -> {readersAfter}; fds {fdBefore} -> {fdAfter}, sockets left on the proxy port {socketsAfter}"));
        AssertClean(tally);
        Assert.True(tally.ConnectionErrors > 0 && tally.Timeouts > 0, $"faults did not reach the callers: {tally}");
        Assert.True(counters.Injected >= 50, $"too few faults were injected: {counters}");
        Assert.True(stats.Reconnects > 0, "the client never reconnected");
        AssertClean(recovery);
        Assert.True(recovery.ConnectionErrors == 0, $"the client did not serve correctly after the storm: {recovery}");
        Assert.Equal(0, clientSocketsLeft);
        Assert.Equal(0, socketsAfter);
        Assert.Equal(readersBefore + 1, readersWhileConnected);
        Assert.Equal(readersBefore, readersAfter);
        Assert.True(fdAfter - fdBefore <= 8, $"file descriptors leaked: {fdBefore} before, {fdAfter} after");
        // Last, so that every other figure is checked first: a stall (the server's TCP connection is up
        // but nothing comes back) must not hold the client for good. Each command times out and the
        // connection is kept by design, but a connection on which nothing at all arrives for many
        // command timeouts is dead, and every caller keeps timing out on it until something else cuts it.
        Assert.True(stallsReleased == 0,
            $"RedisClient never left a stalled connection by itself: {stallsReleased} of {counters.Stalls} stalls held it until the test cut them from the proxy after {StallRelease.TotalSeconds:0} s " +
            $"(longest time no caller got a reply: {longestSilence / 1000.0:0.0} s, every call meanwhile a RedisTimeoutException). Without the cut it never reconnects: the reader reads without a deadline and no timeout ends the connection.");
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task Fault_Client_ServerKilledAndRestarted_CarriesOn()
    {
        int port = TestServer.AllocateFreePort();
        var serverOptions = new TestServerOptions
        {
            Reason = "kill -9 and restart on the same port, under a RedisClient",
            ExtraArgs = ["--port", port.ToString(CultureInfo.InvariantCulture)],
        };
        TestServer server = await DedicatedServer.StartAsync(serverOptions);
        TestServer? restarted = null;
        string run = ServerFixture.Key("fault-client-restart");
        var tally = new FaultTally();
        long okBefore = 0, okAfter = 0;
        bool isRestarted = false;
        var dial = DialOptions.Default with { ConnectTimeout = TimeSpan.FromSeconds(1), ReadTimeout = TimeSpan.FromSeconds(1), WriteTimeout = TimeSpan.FromSeconds(1) };
        var clientOptions = FaultClient with { CommandTimeout = TimeSpan.FromSeconds(2) }; // a slow CI machine is not what this test is about
        var watch = Stopwatch.StartNew();
        try
        {
            using RedisClient client = RedisClient.Connect("tcp", server.Address, dial, clientOptions);
            using var stop = new CancellationTokenSource();
            Task[] callers = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
            {
                bool useAsync = caller % 2 == 0;
                var random = new Random(HashCode.Combine(Seed, caller, 7));
                var workload = new ClientFaultWorkload(run, caller, tally);
                while (!stop.IsCancellationRequested)
                {
                    tally.Round();
                    if (await workload.RunAsync(client, 2, useAsync, random)) Interlocked.Increment(ref Volatile.Read(ref isRestarted) ? ref okAfter : ref okBefore);
                    else await Task.Delay(5); // the server is down: calls fail at once between reconnect attempts
                }
            })).ToArray();

            await WaitUntil(() => Interlocked.Read(ref okBefore) >= 300, "load before the kill");
            long reconnectsBefore = client.Stats.Reconnects;
            using (var process = Process.GetProcessById(server.ProcessId!.Value)) process.Kill(); // SIGKILL
            await Task.Delay(300);
            long failuresWhileDown = tally.ConnectionErrors;
            bool connectedWhileDown = client.IsConnected;
            restarted = await DedicatedServer.StartAsync(serverOptions);
            Volatile.Write(ref isRestarted, true);
            await WaitUntil(() => Interlocked.Read(ref okAfter) >= 300, "load after the restart");
            stop.Cancel();
            await Task.WhenAll(callers);
            ClientStats stats = client.Stats;
            output.WriteLine($"[figures] client server restart ({watch.Elapsed.TotalSeconds:0.0} s): {tally}; {okBefore} rounds ok before the kill, {okAfter} after the restart; {failuresWhileDown} calls failed by the kill; connected while the server was down: {connectedWhileDown}; client: {stats.Reconnects} reconnects, {stats.Commands} commands in {stats.Writes} writes");
            AssertClean(tally);
            Assert.True(failuresWhileDown > 0, "no call saw the server die");
            Assert.False(connectedWhileDown, "the client thought it was connected to a dead server");
            Assert.True(stats.Reconnects > reconnectsBefore, "the client did not reconnect to the restarted server");
            Assert.Equal("PONG", Exec.Text(client.Do("PING")));
        }
        finally
        {
            server.Dispose();
            restarted?.Dispose();
        }
    }

    [SkippableFact]
    public async Task Fault_Client_CreatedAndDisposedThroughFaults_LeakNoSocketsHandlesOrThreads()
    {
        int clients = int.TryParse(Environment.GetEnvironmentVariable("REDIS_FAULT_CLIENTS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) ? c : 1000;
        const int Workers = 4;
        string run = ServerFixture.Key("fault-client-cycles");
        var tally = new FaultTally();
        // Warm up (JIT, the client's types) before the baseline.
        using (RedisClient warm = RedisClient.Connect("tcp", fixture.Server.Address)) warm.Do("PING");
        int fdBefore = SocketCensus.OpenDescriptors();
        int readersBefore = SocketCensus.ThreadsNamed(ReaderThreadName);
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        int connectFailures = 0;
        long reconnects = 0;
        FaultCounters counters;
        int proxyPort;
        // Connections fault early: a refusal or a cut in the handshake fails the connect (sync or
        // async), a later cut or reset makes the client reconnect, and the client is disposed
        // (sync or async) at any point of that, reconnects and backoffs included.
        await using (FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed + 8, (_, random) => random.Next(10) switch
        {
            0 => new FaultPlan(FaultKind.Refuse),
            1 => FaultPlan.None,
            int k => new FaultPlan((FaultKind)(k % 3 + (int)FaultKind.CutClientToServer), random.Next(0, 120)),
        }))
        {
            proxyPort = proxy.Port;
            int next = -1;
            DialOptions dial = FaultDial with { ClientName = "fault-cycle" };
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                var random = new Random(HashCode.Combine(Seed, worker, 8));
                var workload = new ClientFaultWorkload(run, worker, tally);
                while (Interlocked.Increment(ref next) < clients)
                {
                    tally.Round();
                    bool useAsync = random.Next(2) == 0;
                    RedisClient client;
                    try
                    {
                        client = useAsync ? await RedisClient.ConnectAsync("tcp", proxy.Address, dial, FaultClient) : RedisClient.Connect("tcp", proxy.Address, dial, FaultClient);
                    }
                    catch (RedisConnectionException ex)
                    {
                        tally.ConnectionError(ex);
                        Interlocked.Increment(ref connectFailures);
                        continue;
                    }
                    catch (Exception ex)
                    {
                        tally.Problem($"connect threw {ex.GetType().Name}: {ex.Message}");
                        continue;
                    }
                    try
                    {
                        await workload.RunAsync(client, 1 + random.Next(4), useAsync, random);
                        Interlocked.Add(ref reconnects, client.Stats.Reconnects);
                    }
                    finally
                    {
                        if (random.Next(2) == 0) client.Dispose();
                        else await client.DisposeAsync();
                    }
                }
            })));
            await WaitForSessionsToEnd(proxy);
            counters = proxy.Counters;
        }
        // The last readers' OS threads stay listed a moment after their code returned: give them a moment to go.
        int readersAfter = await SocketCensus.ThreadsNamedOnceEnded(ReaderThreadName, readersBefore);
        int socketsAfter = SocketCensus.SocketsOnPorts(proxyPort);
        int fdAfter = SocketCensus.OpenDescriptors();
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[figures] client cycles (seed {Seed + 8}, {watch.Elapsed.TotalSeconds:0.0} s): {clients} clients, {connectFailures} connects failed, {reconnects} reconnects; {tally}; proxy: {counters}; reader threads {readersBefore} -> {readersAfter}; fds {fdBefore} -> {fdAfter}; sockets left on the proxy port {socketsAfter}; managed heap {memoryBefore / 1024.0 / 1024:0.0} MB -> {memoryAfter / 1024.0 / 1024:0.0} MB"));
        Assert.True(tally.Problems.Count == 0, "problems:\n" + string.Join("\n", tally.Problems));
        Assert.Equal(0, tally.Misdelivered);
        Assert.True(connectFailures > 0 && reconnects > 0, "the faults did not reach both the connects and the connected clients");
        Assert.Equal(0, socketsAfter);
        Assert.Equal(readersBefore, readersAfter);
        Assert.True(fdAfter - fdBefore <= 8, $"file descriptors leaked: {fdBefore} before, {fdAfter} after {clients} clients");
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"managed memory grew by {(memoryAfter - memoryBefore) / 1024 / 1024} MB over {clients} clients");
    }

    private static bool Recovered(RedisClient client)
    {
        try
        {
            return Exec.Text(client.Do("PING")) == "PONG";
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

}
