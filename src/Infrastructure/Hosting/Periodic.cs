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
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
