namespace Redis.Testing;

/// <summary>
/// Thrown by <see cref="TestServer.StartAsync"/> when no server satisfying the requested
/// <see cref="TestServerOptions"/> can be started; the message says why and what to install.
/// </summary>
public sealed class TestServerUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TestServerUnavailableException()
        : base("No test server could be started.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">Why no server could be started.</param>
    public TestServerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">Why no server could be started.</param>
    /// <param name="innerException">The failure that caused it.</param>
    public TestServerUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
