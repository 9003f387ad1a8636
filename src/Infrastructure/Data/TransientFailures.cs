using Npgsql;

namespace EventChat.Infrastructure.Data;

public static class TransientFailures
{
    /// <summary>
    /// True when the database could not be reached or dropped the connection: a failure that waiting cures, as
    /// opposed to one that no number of retries will fix.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
