using EventChat.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.Workers.Retention;

/// <summary>
/// Runs <see cref="RetentionSweeper"/> once the application has started and then every
/// <see cref="RetentionOptions.Interval"/>. A failed run is logged and the next one tries again; what a failed
/// run had already committed stays consistent, because each batch moves the room's first number with it.
/// </summary>
public sealed partial class RetentionJob(
    IServiceScopeFactory scopes,
    RetentionOptions options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lifetime.WaitForStartAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(options.Interval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Log.Stopped(logger);
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RetentionSweeper>().RunAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Log.RunFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, EventName = "RetentionRunFailed", Level = LogLevel.Warning,
            Message = "Retention run failed; the next run will try again")]
        public static partial void RunFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 7102, EventName = "RetentionStopped", Level = LogLevel.Debug,
            Message = "Retention job stopped")]
        public static partial void Stopped(ILogger logger);
    }
}
