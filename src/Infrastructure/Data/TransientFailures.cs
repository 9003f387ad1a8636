using Npgsql;
using StackExchange.Redis;

namespace EventChat.Infrastructure.Data;

/// <summary>Failures that waiting cures, as opposed to ones that no number of retries will fix.</summary>
public static class TransientFailures
{
    /// <summary>True when the database could not be reached or dropped the connection.</summary>
    public static bool IsDatabaseUnavailable(Exception exception) =>
        Any(exception, e => e is NpgsqlException { IsTransient: true } or TimeoutException);

    /// <summary>True when the database or Redis could not be reached.</summary>
    public static bool IsStoreUnavailable(Exception exception) =>
        IsDatabaseUnavailable(exception) || Any(exception, e => e is RedisConnectionException or RedisTimeoutException);

    private static bool Any(Exception exception, Func<Exception, bool> predicate)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (predicate(e))
            {
                return true;
            }
        }

        return false;
    }
}
