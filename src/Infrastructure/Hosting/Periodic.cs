namespace EventChat.Infrastructure.Hosting;

public static class Periodic
{
    /// <summary>
    /// Runs <paramref name="work"/> at once and then every <paramref name="interval"/> until stopped. A failed
    /// round goes to <paramref name="failed"/> and the next one tries again, so one bad round never ends the loop.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan interval, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await work(stoppingToken);
            }
            // Only the host stopping ends the loop. A client library's own cancellation (StackExchange.Redis
            // cancels a command caught in a connection failure) is a failed round like any other.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
