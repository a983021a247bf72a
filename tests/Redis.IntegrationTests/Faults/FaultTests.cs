using System.Diagnostics;
using System.Globalization;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests.Faults;

/// <summary>
/// Connections and pools through a fault-injecting proxy in front of a real server: cuts in either
/// direction (mid-reply too), resets, stalls, refusals. Every operation carries a unique value and
/// its reply is checked, so a misdelivered reply is detected; every failing call must throw
/// <see cref="RedisConnectionException"/> or <see cref="RedisTimeoutException"/>, leave the
/// connection broken for good, and leak nothing. Figures are printed with a <c>[figures]</c> prefix.
/// Seeds: <c>REDIS_FAULT_SEED</c> (default fixed), so a failing run replays.
/// </summary>
[Collection(FaultCollection.Name)]
public partial class FaultTests(ServerFixture fixture, ITestOutputHelper output)
{
    static FaultTests()
    {
        // Synchronous callers block thread-pool threads while the proxy's pumps need them: with the
        // minimum at the core count (2 on CI), thread injection lags and turns into read timeouts
        // that no fault caused. These tests run alone, so raising the floor disturbs nothing.
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < 64) ThreadPool.SetMinThreads(64, io);
    }

    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("REDIS_FAULT_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 6006;

    private static readonly DialOptions FaultDial = DialOptions.Default with
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReadTimeout = TimeSpan.FromMilliseconds(500),
        WriteTimeout = TimeSpan.FromMilliseconds(500),
    };

    // For tests that expect a call to succeed, or to fail by a cut rather than a timeout: a loaded
    // CI machine must not turn a slow reply into a timeout there.
    private static readonly DialOptions PatientDial = FaultDial with { ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    [SkippableFact]
    public async Task Fault_Conn_NeverMisdeliversAndBreaksForGood()
    {
        const int Callers = 8, RoundsPerCaller = 200, Steps = 8;
        string run = ServerFixture.Key("fault-conn");
        var tally = new FaultTally();
        int fdBefore = SocketCensus.OpenDescriptors();
        var watch = Stopwatch.StartNew();
        FaultCounters counters;
        int proxyPort, clientSocketsLeft;
        await using (FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed, FaultPlan.Mixed(faultRate: 0.5, maxAfterBytes: 700)))
        {
            proxyPort = proxy.Port;
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
            {
                bool useAsync = caller % 2 == 1;
                var random = new Random(HashCode.Combine(Seed, caller));
                var workload = new FaultWorkload(run, caller, tally);
                // Odd callers also name their connection: a handshake that faults fails the dial itself.
                DialOptions options = caller % 4 == 3 ? FaultDial with { ClientName = "fault-" + caller } : FaultDial;
                for (int round = 0; round < RoundsPerCaller; round++)
                {
                    tally.Round();
                    IConn conn;
                    try
                    {
                        conn = useAsync ? await Conn.DialAsync("tcp", proxy.Address, options) : Conn.Dial("tcp", proxy.Address, options);
                    }
                    catch (RedisConnectionException ex)
                    {
                        tally.ConnectionError(ex);
                        continue;
                    }
                    catch (Exception ex)
                    {
                        tally.Problem($"dial threw {ex.GetType().Name}: {ex.Message}");
                        continue;
                    }
                    using (conn) await workload.RunAsync(conn, Steps, useAsync, random);
                }
            })));
            clientSocketsLeft = SocketCensus.ClientSocketsTo(proxy.Port); // every connection was closed: none may be left open
            await WaitForSessionsToEnd(proxy);
            counters = proxy.Counters;
        }
        int socketsAfter = SocketCensus.SocketsOnPorts(proxyPort);
        int fdAfter = SocketCensus.OpenDescriptors();
        output.WriteLine($"[figures] conn faults (seed {Seed}, {watch.Elapsed.TotalSeconds:0.0} s): {tally}; proxy: {counters}; client sockets left open {clientSocketsLeft}; fds {fdBefore} -> {fdAfter}, sockets left on the proxy port {socketsAfter}");
        AssertClean(tally);
        Assert.Equal(0, clientSocketsLeft);
        Assert.True(counters.Injected >= Callers * RoundsPerCaller / 5, $"too few faults were injected: {counters}");
        Assert.True(tally.ConnectionErrors > 0 && tally.Timeouts > 0, $"faults did not reach the callers: {tally}");
        Assert.Equal(0, socketsAfter);
        Assert.True(fdAfter - fdBefore <= 8, $"file descriptors leaked: {fdBefore} before, {fdAfter} after");
    }

    [SkippableFact]
    public async Task Fault_Pool_ReplacesBrokenConnectionsAndNeverLendsOne()
    {
        const int Callers = 16, BorrowsPerCaller = 150, MaxActive = 6;
        string run = ServerFixture.Key("fault-pool");
        var tally = new FaultTally();
        int dials = 0;
        int fdBefore = SocketCensus.OpenDescriptors();
        var watch = Stopwatch.StartNew();
        FaultCounters counters;
        PoolStats statsUnderLoad;
        int proxyPort, clientSocketsLeft;
        await using (FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed + 1, FaultPlan.Mixed(faultRate: 1.0, maxAfterBytes: 1200)))
        {
            proxyPort = proxy.Port;
            using (var pool = new Pool
            {
                Dial = () => { Interlocked.Increment(ref dials); return Conn.Dial("tcp", proxy.Address, FaultDial); },
                DialAsync = async ct => { Interlocked.Increment(ref dials); return await Conn.DialAsync("tcp", proxy.Address, FaultDial, ct); },
                MaxActive = MaxActive,
                MaxIdle = MaxActive,
                Wait = true,
            })
            {
                await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
                {
                    bool useAsync = caller % 2 == 0;
                    var random = new Random(HashCode.Combine(Seed, caller, 2));
                    var workload = new FaultWorkload(run, caller, tally);
                    for (int borrow = 0; borrow < BorrowsPerCaller; borrow++)
                    {
                        tally.Round();
                        IConnWithTimeout conn;
                        try
                        {
                            conn = useAsync ? await pool.GetAsync() : pool.Get();
                        }
                        catch (RedisConnectionException ex)
                        {
                            tally.ConnectionError(ex); // the dial of a replacement met a fault
                            continue;
                        }
                        catch (Exception ex)
                        {
                            tally.Problem($"Get threw {ex.GetType().Name}: {ex.Message}");
                            continue;
                        }
                        await using (conn)
                        {
                            if (conn.Err is not null) tally.BrokenConnectionLent();
                            await workload.RunAsync(conn, 1 + random.Next(3), useAsync, random);
                        }
                    }
                })));
                statsUnderLoad = pool.Stats;

                // After the storm, the pool still serves: fresh connections replace broken ones.
                using (IConnWithTimeout after = pool.Get()) Assert.Null(after.Err);
                clientSocketsLeft = SocketCensus.ClientSocketsTo(proxy.Port) - pool.Stats.IdleCount; // only the idle ones may be open
            }
            await WaitForSessionsToEnd(proxy);
            counters = proxy.Counters;
        }
        int socketsAfter = SocketCensus.SocketsOnPorts(proxyPort);
        int fdAfter = SocketCensus.OpenDescriptors();
        output.WriteLine($"[figures] pool faults (seed {Seed + 1}, {watch.Elapsed.TotalSeconds:0.0} s): {tally}; {dials} dials for {Callers * BorrowsPerCaller} borrows; proxy: {counters}; pool at the end: {statsUnderLoad}; client sockets open beyond the idle ones {clientSocketsLeft}; fds {fdBefore} -> {fdAfter}, sockets left on the proxy port {socketsAfter}");
        AssertClean(tally);
        Assert.Equal(0, clientSocketsLeft);
        Assert.True(tally.ConnectionErrors > 0, $"faults did not reach the borrowers: {tally}");
        Assert.True(dials >= counters.Injected, $"broken connections were not replaced: {dials} dials for {counters.Injected} faults");
        Assert.True(counters.Injected >= 100, $"too few faults were injected: {counters}");
        Assert.Equal(0, socketsAfter);
        Assert.True(fdAfter - fdBefore <= 8, $"file descriptors leaked: {fdBefore} before, {fdAfter} after");
    }

    [SkippableFact]
    public async Task Fault_ManyFaultCycles_LeakNoSocketsHandlesOrMemory()
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("REDIS_FAULT_CYCLES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) ? c : 10_000;
        const int Workers = 4;
        string run = ServerFixture.Key("fault-cycles");
        var tally = new FaultTally();
        // Warm up (JIT, pools) before the baseline.
        using (IConn warm = fixture.Dial()) warm.Do("PING");
        int fdBefore = SocketCensus.OpenDescriptors();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        int threadsBefore = ThreadPool.ThreadCount;
        var watch = Stopwatch.StartNew();
        FaultCounters counters;
        int proxyPort;
        // Every connection faults early (cut either way or reset within the first replies): a fault cycle each.
        await using (FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed + 2, (_, random) => new FaultPlan(
            (FaultKind)random.Next((int)FaultKind.CutClientToServer, (int)FaultKind.Reset + 1), random.Next(0, 40))))
        {
            proxyPort = proxy.Port;
            int next = -1;
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                var random = new Random(HashCode.Combine(Seed, worker, 3));
                var workload = new FaultWorkload(run, worker, tally);
                while (Interlocked.Increment(ref next) < cycles)
                {
                    tally.Round();
                    bool useAsync = random.Next(2) == 0;
                    try
                    {
                        using IConn conn = useAsync ? await Conn.DialAsync("tcp", proxy.Address, FaultDial) : Conn.Dial("tcp", proxy.Address, FaultDial);
                        await workload.RunAsync(conn, 4, useAsync, random);
                    }
                    catch (RedisConnectionException ex)
                    {
                        tally.ConnectionError(ex);
                    }
                }
            })));
            await WaitForSessionsToEnd(proxy);
            counters = proxy.Counters;
        }
        int socketsAfter = SocketCensus.SocketsOnPorts(proxyPort);
        int fdAfter = SocketCensus.OpenDescriptors();
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[figures] fault cycles (seed {Seed + 2}, {watch.Elapsed.TotalSeconds:0.0} s): {tally}; proxy: {counters}; fds {fdBefore} -> {fdAfter}; sockets left on the proxy port {socketsAfter}; managed heap {memoryBefore / 1024.0 / 1024:0.0} MB -> {memoryAfter / 1024.0 / 1024:0.0} MB; thread-pool threads {threadsBefore} -> {ThreadPool.ThreadCount}"));
        AssertClean(tally);
        Assert.True(counters.Injected >= cycles * 9 / 10, $"fewer faults than cycles: {counters}");
        Assert.Equal(0, socketsAfter);
        Assert.True(fdAfter - fdBefore <= 8, $"file descriptors leaked: {fdBefore} before, {fdAfter} after {cycles} fault cycles");
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"managed memory grew by {(memoryAfter - memoryBefore) / 1024 / 1024} MB over {cycles} fault cycles");
    }

    public static TheoryData<FaultKind> EachFault() => new() { FaultKind.CutClientToServer, FaultKind.CutServerToClient, FaultKind.Reset, FaultKind.Stall, FaultKind.Refuse };

    [SkippableTheory]
    [MemberData(nameof(EachFault))]
    public async Task Fault_EachKind_MidReply_FailsWithConnectionOrTimeoutException(FaultKind kind)
    {
        // A 100 kB value: the GET reply is cut, reset or stalled in the middle.
        string key = ServerFixture.Key("fault-mid-reply");
        byte[] big = new byte[100_000];
        new Random(Seed).NextBytes(big);
        using (IConn direct = fixture.Dial()) direct.Do("SET", key, big, "PX", 60000);

        foreach (bool useAsync in new[] { false, true })
        {
            // The request is ~60 bytes; the reply is ~100 kB: both cuts land inside the GET.
            int after = kind == FaultKind.CutClientToServer ? 30 : 50_000;
            await using FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed, (_, _) => new FaultPlan(kind, after));
            DialOptions options = kind == FaultKind.Stall ? FaultDial : PatientDial;
            IConn conn = useAsync ? await Conn.DialAsync("tcp", proxy.Address, options) : Conn.Dial("tcp", proxy.Address, options);
            using (conn)
            {
                var failure = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
                {
                    object? reply = useAsync ? await conn.DoAsync("GET", key) : conn.Do("GET", key);
                    Assert.Fail($"a {kind} fault returned a reply ({reply?.GetType().Name})");
                });
                output.WriteLine($"{kind} ({(useAsync ? "async" : "sync")}): {failure.GetType().Name}: {failure.Message}");
                if (kind == FaultKind.Stall) Assert.IsType<RedisTimeoutException>(failure);
                else Assert.IsNotType<RedisTimeoutException>(failure);
                Assert.NotNull(conn.Err);
                Assert.Throws<RedisConnectionException>(() => conn.Do("PING"));
                await Assert.ThrowsAsync<RedisConnectionException>(async () => await conn.DoAsync("PING"));
            }
            Assert.Equal(1, proxy.Counters.Injected);
        }
    }

    [SkippableFact]
    public async Task Fault_RefusedConnects_FailTheDialThenRecover()
    {
        await using FaultProxy proxy = FaultProxy.Start(fixture.Server.Address, Seed);
        using (IConn first = Conn.Dial("tcp", proxy.Address, PatientDial)) Assert.Equal("PONG", first.Do("PING"));
        proxy.RefuseFor(TimeSpan.FromMilliseconds(400));
        var refused = Assert.ThrowsAny<RedisConnectionException>(() => Conn.Dial("tcp", proxy.Address, PatientDial));
        await Assert.ThrowsAnyAsync<RedisConnectionException>(async () => await Conn.DialAsync("tcp", proxy.Address, PatientDial));
        output.WriteLine($"refused: {refused.Message}");
        using var pool = Pool.Create("tcp", proxy.Address, PatientDial);
        Assert.ThrowsAny<RedisConnectionException>(() => pool.Get());
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using IConn again = pool.Get();
                Assert.Equal("PONG", again.Do("PING"));
                break;
            }
            catch (RedisConnectionException) when (deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(50);
            }
        }
        Assert.Equal(1, proxy.RefusalWindows);
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task Fault_ServerKilledAndRestartedUnderLoad_InFlightCallsFailCleanlyAndThePoolCarriesOn()
    {
        int port = TestServer.AllocateFreePort();
        var serverOptions = new TestServerOptions
        {
            Reason = "kill -9 and restart on the same port",
            ExtraArgs = ["--port", port.ToString(CultureInfo.InvariantCulture)],
        };
        TestServer server = await DedicatedServer.StartAsync(serverOptions);
        TestServer? restarted = null;
        string run = ServerFixture.Key("fault-restart");
        var tally = new FaultTally();
        long okBefore = 0, okAfter = 0;
        bool isRestarted = false;
        var options = DialOptions.Default with { ConnectTimeout = TimeSpan.FromSeconds(1), ReadTimeout = TimeSpan.FromSeconds(1), WriteTimeout = TimeSpan.FromSeconds(1) };
        int dials = 0;
        var watch = Stopwatch.StartNew();
        try
        {
            using var pool = new Pool
            {
                Dial = () => { Interlocked.Increment(ref dials); return Conn.Dial("tcp", server.Address, options); },
                DialAsync = async ct => { Interlocked.Increment(ref dials); return await Conn.DialAsync("tcp", server.Address, options, ct); },
                MaxActive = 8,
                MaxIdle = 8,
                Wait = true,
            };
            using var stop = new CancellationTokenSource();
            Task[] callers = Enumerable.Range(0, 6).Select(caller => Task.Run(async () =>
            {
                bool useAsync = caller % 2 == 0;
                var random = new Random(HashCode.Combine(Seed, caller, 4));
                var workload = new FaultWorkload(run, caller, tally);
                while (!stop.IsCancellationRequested)
                {
                    tally.Round();
                    bool ok;
                    try
                    {
                        await using IConnWithTimeout conn = useAsync ? await pool.GetAsync() : pool.Get();
                        if (conn.Err is not null) tally.BrokenConnectionLent();
                        ok = await workload.RunAsync(conn, 2, useAsync, random);
                    }
                    catch (RedisConnectionException ex)
                    {
                        tally.ConnectionError(ex); // dialing while the server is down
                        ok = false;
                    }
                    if (ok) Interlocked.Increment(ref Volatile.Read(ref isRestarted) ? ref okAfter : ref okBefore);
                    else await Task.Delay(5);
                }
            })).ToArray();

            await WaitUntil(() => Interlocked.Read(ref okBefore) >= 300, "load before the kill");
            using (var process = Process.GetProcessById(server.ProcessId!.Value)) process.Kill(); // SIGKILL
            await Task.Delay(300);
            long failuresWhileDown = tally.ConnectionErrors;
            restarted = await DedicatedServer.StartAsync(serverOptions);
            Volatile.Write(ref isRestarted, true);
            await WaitUntil(() => Interlocked.Read(ref okAfter) >= 300, "load after the restart");
            stop.Cancel();
            await Task.WhenAll(callers);
            output.WriteLine($"[figures] server restart ({watch.Elapsed.TotalSeconds:0.0} s): {tally}; {okBefore} rounds ok before the kill, {okAfter} after the restart; {failuresWhileDown} calls failed by the kill; {dials} dials; pool {pool.Stats}");
            AssertClean(tally);
            Assert.True(failuresWhileDown > 0, "no call saw the server die");
        }
        finally
        {
            server.Dispose();
            restarted?.Dispose();
        }
    }

    // The shared connection of a RedisClient: a short command timeout (stalls must end in
    // RedisTimeoutException quickly), a stall timeout well below the test's own release of stalls
    // (the client must leave a silent connection by itself) and a short reconnect backoff (the
    // storm is bounded in time).
    private static readonly ClientOptions FaultClient = new()
    {
        CommandTimeout = TimeSpan.FromMilliseconds(500),
        StallTimeout = TimeSpan.FromSeconds(1),
        ReconnectDelay = TimeSpan.FromMilliseconds(10),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
    };

    // How long a stalled connection may hold the client before the test's watchdog cuts it from the
    // proxy side (four command timeouts): a client that never leaves a stall would otherwise hang the test.
    private static readonly TimeSpan StallRelease = TimeSpan.FromSeconds(2);

    private const string ReaderThreadName = "Redis client reader";

    private static void AssertClean(FaultTally tally)
    {
        Assert.True(tally.Problems.Count == 0, "problems:\n" + string.Join("\n", tally.Problems));
        Assert.Equal(0, tally.Misdelivered);
        Assert.Equal(0, tally.BrokenReused);
        Assert.Equal(0, tally.BrokenLent);
        Assert.True(tally.RepliesChecked > 0);
    }

    private static async Task WaitForSessionsToEnd(FaultProxy proxy)
    {
        var deadline = Stopwatch.StartNew();
        while (proxy.OpenSessions > 0 && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
