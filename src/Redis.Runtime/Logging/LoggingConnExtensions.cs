using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>Adds logging to a connection, redigo's <c>NewLoggingConn</c> over <see cref="ILogger"/>.</summary>
public static class LoggingConnExtensions
{
    /// <summary>
    /// Wraps <paramref name="conn"/> so that each Do, Send, Flush, Receive (and their async, per-call
    /// timeout and typed twins) and Close is logged with its arguments and reply, cut to a readable
    /// length, at <see cref="LoggingOptions.Level"/>. Secrets are never logged: the passwords of AUTH,
    /// HELLO ... AUTH and MIGRATE ... AUTH/AUTH2, the rules of ACL SETUSER, the values of CONFIG SET
    /// requirepass/masterauth/masteruser (and the TLS key passphrases), the secret values in CONFIG GET
    /// replies and the whole replies of ACL GETUSER/LIST; errors of such commands are logged by kind only.
    /// When the level is disabled nothing is formatted. Disposing the wrapper disposes <paramref name="conn"/>.
    /// </summary>
    /// <remarks>
    /// With <see cref="IConn.Receive"/> the logger cannot tell which command a reply answers: once a
    /// command with secrets was sent with <see cref="IConn.Send"/>, replies read with Receive are shown as
    /// <c>[redacted]</c> until the next Do.
    /// </remarks>
    /// <param name="conn">The connection to log (a <see cref="Conn"/>, a pooled connection...).</param>
    /// <param name="logger">Where the entries go.</param>
    /// <param name="options">Level, name, truncation and filter; <see cref="LoggingOptions.Default"/> when null.</param>
    /// <returns>The logging connection; it also runs typed commands (<see cref="IRespExecutor"/>) and per-call timeouts.</returns>
    public static IConnWithTimeout WithLogging(this IConn conn, ILogger logger, LoggingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(logger);
        options ??= LoggingOptions.Default;
        options.Validate();
        return new LoggingConn(conn, logger, options);
    }
}
