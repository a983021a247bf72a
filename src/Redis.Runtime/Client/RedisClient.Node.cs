namespace Redis;

// A client for one node of a cluster: created without waiting for its connection, which the reader
// thread opens and keeps reopening with backoff (a node may be down now and back after a failover).
public sealed partial class RedisClient
{
    private bool _retryFirstConnect; // set before the reader starts

    /// <summary>
    /// Creates a client whose first connection is made by its reader thread like a reconnect: callers
    /// arriving meanwhile wait for the attempt (bounded by the command timeout), and a failed attempt is
    /// retried with backoff instead of ending the client.
    /// </summary>
    internal static RedisClient ConnectInBackground(string network, string address, DialOptions dialOptions, ClientOptions options)
    {
        var client = new RedisClient(network, address, $"{network} {address}", dialOptions, options);
        lock (client._writeLock)
        {
            client._retryFirstConnect = true;
            client._state = State.Connecting;
            client._connectAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        client.StartReader(null);
        return client;
    }
}
