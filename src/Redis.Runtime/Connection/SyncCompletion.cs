using System.Diagnostics;

namespace Redis;

/// <summary>
/// The synchronous end of the cold paths written once (Npgsql's <c>bool async</c> pattern): a method
/// body <c>XCore(bool async, ...)</c> awaits only when <c>async</c> is true and otherwise calls the
/// blocking I/O, so with <c>async: false</c> the returned task is already complete and taking its
/// result blocks on nothing (no sync-over-async, no thread-pool dependency).
/// </summary>
internal static class SyncCompletion
{
    /// <summary>The result of a <c>XCore(async: false, ...)</c> call, which must have completed synchronously.</summary>
    public static T Result<T>(ValueTask<T> task)
    {
        Debug.Assert(task.IsCompleted, "A core called with async: false must complete synchronously.");
        // Should a bug ever leave it pending in a release build, block on a Task rather than misuse a pooled source.
        return task.IsCompleted ? task.GetAwaiter().GetResult() : task.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Ends a <c>XCore(async: false, ...)</c> call, which must have completed synchronously; rethrows its exception.</summary>
    public static void Wait(ValueTask task)
    {
        Debug.Assert(task.IsCompleted, "A core called with async: false must complete synchronously.");
        if (task.IsCompleted) task.GetAwaiter().GetResult();
        else task.AsTask().GetAwaiter().GetResult();
    }
}
