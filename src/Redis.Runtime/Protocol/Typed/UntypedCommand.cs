namespace Redis;

/// <summary>
/// An untyped command (a name and object arguments) as a typed command, so <see cref="RedisCluster.Do"/>
/// and the typed API share one routing and redirect path. The arguments were checked by encoding them
/// once for routing, so <see cref="WriteTo"/> cannot fail part-way.
/// </summary>
internal readonly struct UntypedCommand(string name, object?[] args) : IRespCommand
{
    public string Name => name;

    public object?[] Args => args;

    public void WriteTo(RespWriter writer) => writer.WriteCommand(name, args);
}
