
namespace Redis.Tests.Faults;

/// <summary>
/// Operations whose replies identify them: every SET/GET/ECHO carries the caller id and a sequence
/// number, every INCR counts on a key only this caller and connection use, so a reply handed to the
/// wrong operation is detected. Failures must be <see cref="RedisConnectionException"/> (or its
/// <see cref="RedisTimeoutException"/>), after which the connection must stay broken.
/// </summary>
public sealed class FaultWorkload(string run, int caller, FaultTally tally)
{
    private long _sequence;
    private long _counterEpoch;
    private long _counter;

    /// <summary>The caller id.</summary>
    public int Caller { get; } = caller;

    /// <summary>
    /// Runs up to <paramref name="steps"/> steps on <paramref name="conn"/>; returns false when a call
    /// failed (the connection is then checked to be broken for good). Exceptions other than
    /// <see cref="RedisConnectionException"/> are recorded as problems.
    /// </summary>
    public async Task<bool> RunAsync(IConn conn, int steps, bool useAsync, Random random)
    {
        // A new connection counts on a new key, so INCR's expected value is exact.
        _counterEpoch++;
        _counter = 0;
        for (int i = 0; i < steps; i++)
        {
            try
            {
                if (random.Next(3) == 0) await PipelineAsync(conn, useAsync);
                else await SingleAsync(conn, useAsync, random.Next(4));
            }
            catch (RedisConnectionException ex)
            {
                tally.ConnectionError(ex);
                await CheckBrokenAsync(conn, useAsync, ex);
                return false;
            }
            catch (Exception ex)
            {
                tally.Problem($"caller {Caller}: unexpected {ex.GetType().Name}: {ex.Message}");
                return false;
            }
        }
        return true;
    }

    /// <summary>A failed call's connection: Err is set and every later call throws <see cref="RedisConnectionException"/> without I/O.</summary>
    public async Task CheckBrokenAsync(IConn conn, bool useAsync, Exception failure)
    {
        if (conn.Err is null)
        {
            tally.BrokenConnectionReused($"caller {Caller}: Err is null after {failure.GetType().Name}: {failure.Message}");
            return;
        }
        try
        {
            if (useAsync) await conn.DoAsync("PING");
            else conn.Do("PING");
            tally.BrokenConnectionReused($"caller {Caller}: a call after {failure.GetType().Name} succeeded");
        }
        catch (RedisConnectionException)
        {
            // As promised: broken means closed.
        }
        catch (Exception ex)
        {
            tally.Problem($"caller {Caller}: a call on a broken connection threw {ex.GetType().Name}");
        }
    }

    private string Next(out string value)
    {
        long seq = ++_sequence;
        value = $"v:{Caller}:{seq}";
        return $"{run}:{Caller}:{seq}";
    }

    private string CounterKey => $"{run}:{Caller}:ctr:{_counterEpoch}";

    private async Task SingleAsync(IConn conn, bool useAsync, int which)
    {
        string key = Next(out string value);
        switch (which)
        {
            case 0:
                Expect(await Do(conn, useAsync, "SET", key, value, "PX", 60000), "OK", "SET");
                Expect(await Do(conn, useAsync, "GET", key), value, "GET");
                break;
            case 1:
                Expect(await Do(conn, useAsync, "ECHO", value), value, "ECHO");
                break;
            case 2:
                long expected = _counter + 1;
                Expect(await Do(conn, useAsync, "INCR", CounterKey), expected, "INCR");
                _counter = expected;
                break;
            default:
                Expect(await Do(conn, useAsync, "GET", key), null, "GET (absent)");
                break;
        }
    }

    // SET, GET, INCR, ECHO sent together, read back in order.
    private async Task PipelineAsync(IConn conn, bool useAsync)
    {
        string key = Next(out string value);
        conn.Send("SET", key, value, "PX", 60000);
        conn.Send("GET", key);
        conn.Send("INCR", CounterKey);
        conn.Send("ECHO", value + ":echo");
        if (useAsync) await conn.FlushAsync();
        else conn.Flush();
        Expect(useAsync ? await conn.ReceiveAsync() : conn.Receive(), "OK", "pipelined SET");
        Expect(useAsync ? await conn.ReceiveAsync() : conn.Receive(), value, "pipelined GET");
        long expected = _counter + 1;
        Expect(useAsync ? await conn.ReceiveAsync() : conn.Receive(), expected, "pipelined INCR");
        _counter = expected;
        Expect(useAsync ? await conn.ReceiveAsync() : conn.Receive(), value + ":echo", "pipelined ECHO");
    }

    private static async ValueTask<object?> Do(IConn conn, bool useAsync, string command, params object?[] args)
        => useAsync ? await conn.DoAsync(command, args) : conn.Do(command, args);

    private void Expect(object? reply, object? expected, string what) => tally.Expect(reply, expected, $"caller {Caller}, {what}");
}
