using Microsoft.Extensions.Hosting;

namespace EventChat.Infrastructure.Hosting;

public static class HostLifetimeExtensions
{
    /// <summary>Waits until the host has started every service, so background work never races start-up.</summary>
    public static async Task WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }
}
