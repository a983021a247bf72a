using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Faults;

/// <summary>
/// The operations of <see cref="FaultWorkload"/> through a shared <see cref="RedisClient"/>: every
/// SET/GET/ECHO carries the caller id and a sequence number, every INCR counts on a key only this
/// caller uses, untyped (<c>Do</c>/<c>DoAsync</c>) and typed (<c>Execute</c>/<c>ExecuteAsync</c>), and
/// async callers also start four commands at once (auto-pipelined) before awaiting them. A reply handed
/// to the wrong call is counted as misdelivered. A failing call must throw
/// <see cref="RedisConnectionException"/> (or its <see cref="RedisTimeoutException"/>); since the client
/// reconnects by itself, the caller then carries on, counting on a new key (a failed or timed-out INCR
/// may or may not have run, so the old count is no longer exact).
/// </summary>
public sealed class ClientFaultWorkload(string run, int caller, FaultTally tally)
{
    private long _sequence;
    private long _counterEpoch;
    private long _counter;
    private long _lastSuccess = Environment.TickCount64;

    /// <summary>The caller id.</summary>
    public int Caller { get; } = caller;

    /// <summary>Calls that returned a reply (whatever it was).</summary>
    public long Answered { get; private set; }

    /// <summary>Pipelined GETs that answered nil although the SET started before them succeeded: the two ran in the other order.</summary>
    public long Reordered { get; private set; }

    /// <summary>When a call of this caller last returned a reply (<see cref="Environment.TickCount64"/>).</summary>
    public long LastSuccess => Volatile.Read(ref _lastSuccess);

    /// <summary>
    /// Runs up to <paramref name="steps"/> steps on <paramref name="client"/> and stops at the first
    /// step with a failed call; returns false then. Exceptions other than
    /// <see cref="RedisConnectionException"/> are recorded as problems.
    /// </summary>
    public async Task<bool> RunAsync(RedisClient client, int steps, bool useAsync, Random random)
    {
        for (int i = 0; i < steps; i++)
        {
            bool ok = useAsync && random.Next(3) == 0 ? await PipelineAsync(client) : await SingleAsync(client, useAsync, random.Next(6));
            if (!ok)
            {
                _counterEpoch++;
                _counter = 0;
                return false;
            }
        }
        return true;
    }

    private string Next(out string value)
    {
        long seq = ++_sequence;
        value = $"v:{Caller}:{seq}";
        return $"{run}:c{Caller}:{seq}";
    }

    private string CounterKey => $"{run}:c{Caller}:ctr:{_counterEpoch}";

    private async Task<bool> SingleAsync(RedisClient client, bool useAsync, int which)
    {
        string key = Next(out string value);
        switch (which)
        {
            case 0:
            {
                (bool ok, object? reply) = await Call(() => useAsync ? client.DoAsync("SET", key, value, "PX", 60000) : new(client.Do("SET", key, value, "PX", 60000)));
                if (!ok) return false;
                Expect(reply, "OK", "SET");
                (ok, reply) = await Call(() => useAsync ? client.DoAsync("GET", key) : new(client.Do("GET", key)));
                if (ok) Expect(reply, value, "GET");
                return ok;
            }
            case 1:
            {
                (bool ok, object? reply) = await Call(() => useAsync ? client.DoAsync("ECHO", value) : new(client.Do("ECHO", value)));
                if (ok) Expect(reply, value, "ECHO");
                return ok;
            }
            case 2:
            {
                string counter = CounterKey;
                (bool ok, object? reply) = await Call(() => useAsync ? client.DoAsync("INCR", counter) : new(client.Do("INCR", counter)));
                if (ok) Expect(reply, ++_counter, "INCR");
                return ok;
            }
            case 3:
            {
                (bool ok, object? reply) = await Call(() => useAsync ? client.DoAsync("GET", key) : new(client.Do("GET", key)));
                if (ok) Expect(reply, null, "GET (absent)");
                return ok;
            }
            case 4:
            {
                var command = new Incr(CounterKey);
                (bool ok, long reply) = await Call(() => useAsync
                    ? client.ExecuteAsync<Incr, Int64Parser, long>(command, default)
                    : new(client.Execute<Incr, Int64Parser, long>(command, default)));
                if (ok) Expect(reply, ++_counter, "typed INCR");
                return ok;
            }
            default:
            {
                var command = new Echo(value);
                (bool ok, string? reply) = await Call(() => useAsync
                    ? client.ExecuteAsync<Echo, StringParser, string?>(command, default)
                    : new(client.Execute<Echo, StringParser, string?>(command, default)));
                if (ok) Expect(reply, value, "typed ECHO");
                return ok;
            }
        }
    }

    // SET, GET, typed INCR, ECHO started together (one batch on the shared connection), then awaited in order.
    private async Task<bool> PipelineAsync(RedisClient client)
    {
        string key = Next(out string value);
        ValueTask<object?> set = Started(() => client.DoAsync("SET", key, value, "PX", 60000));
        ValueTask<object?> get = Started(() => client.DoAsync("GET", key));
        ValueTask<long> incr = Started(() => client.ExecuteAsync<Incr, Int64Parser, long>(new Incr(CounterKey), default));
        ValueTask<object?> echo = Started(() => client.DoAsync("ECHO", value + ":echo"));

        (bool setOk, object? setReply) = await Call(() => set);
        if (setOk) Expect(setReply, "OK", "pipelined SET");
        (bool getOk, object? getReply) = await Call(() => get);
        if (getOk)
        {
            // A SET that failed may or may not have run (and the GET may have gone out on the next
            // connection, after the SET was lost): nil or the value, nothing else.
            if (setOk && getReply is null)
            {
                // Not a misdelivery (the reply is a GET's, for this key): the GET ran before the SET
                // that was started first. That happens when both waited for a reconnect in progress and
                // their continuations queued the commands in the other order.
                tally.Checked();
                Reordered++;
            }
            else if (setOk || getReply is not null)
            {
                Expect(getReply, value, "pipelined GET");
            }
            else
            {
                tally.Checked();
            }
        }
        (bool incrOk, long incrReply) = await Call(() => incr);
        if (incrOk) Expect(incrReply, ++_counter, "pipelined typed INCR");
        (bool echoOk, object? echoReply) = await Call(() => echo);
        if (echoOk) Expect(echoReply, value + ":echo", "pipelined ECHO");
        return setOk && getOk && incrOk && echoOk;
    }

    // Starts a call; a synchronous throw becomes a faulted ValueTask, so every started call is awaited once.
    private static ValueTask<T> Started<T>(Func<ValueTask<T>> start)
    {
        try
        {
            return start();
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<T>(ex);
        }
    }

    private async Task<(bool Ok, T? Reply)> Call<T>(Func<ValueTask<T>> call)
    {
        try
        {
            T reply = await call();
            Answered++;
            Volatile.Write(ref _lastSuccess, Environment.TickCount64);
            return (true, reply);
        }
        catch (RedisConnectionException ex)
        {
            tally.ConnectionError(ex);
            return (false, default);
        }
        catch (Exception ex)
        {
            tally.Problem($"caller {Caller}: unexpected {ex.GetType().Name}: {ex.Message}");
            return (false, default);
        }
    }

    private void Expect(object? reply, object? expected, string what) => tally.Expect(reply, expected, $"client caller {Caller}, {what}");
}
