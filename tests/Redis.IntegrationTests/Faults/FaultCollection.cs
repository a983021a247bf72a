using Redis.Tests.Infrastructure;

namespace Redis.Tests.Faults;

/// <summary>
/// The fault tests run alone (after the parallel collections), so that counting this process's
/// file descriptors before and after is not disturbed by other tests opening their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "faults";
}
