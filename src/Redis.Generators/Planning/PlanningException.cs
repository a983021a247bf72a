using System;

namespace Redis.Generators.Planning;

/// <summary>
/// A command whose argument tree the planner cannot turn into typed parameters (a shape its rules do not
/// cover). Thrown only by the planner and caught only where the member is built, where it becomes the
/// RDS0018 diagnostic naming the command and this reason; any other exception is a generator bug (RDS0099).
/// </summary>
internal sealed class PlanningException : Exception
{
    public PlanningException(string reason)
        : base(reason)
    {
    }
}
