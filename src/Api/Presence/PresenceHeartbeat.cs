using EventChat.Infrastructure.Hosting;
using EventChat.Infrastructure.Presence;

namespace EventChat.Api.Presence;

/// <summary>
/// Keeps this edge's presence entries alive; when the process dies they expire with it, and the other edges'
/// <see cref="DeadEdgeSweeper"/> reports its users offline. On a clean stop the edge resigns at once, so that
/// they need not wait for the timeout.
/// </summary>
public sealed partial class PresenceHeartbeat(
    IPresenceStore presence,
    IServiceScopeFactory scopes,
    PresenceOptions options,
    ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await presence.ResignAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ResignFailed(logger, ex);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(options.HeartbeatInterval, BeatAsync, ex => Log.Failed(logger, ex), stoppingToken);

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        // A Redis call caught in a connection failure can, rarely, never complete (a known StackExchange.Redis
        // race). Bounded, such a beat fails like any other and the next tick sends a fresh one; unbounded, it
        // would stop this edge's heartbeat for good and the other edges would take all its users offline.
        var changes = await presence.HeartbeatAsync(cancellationToken)
            .WaitAsync(options.HeartbeatInterval, cancellationToken);
        if (changes.Count == 0)
        {
            return;
        }

        Log.Repaired(logger, changes.Count);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PresenceTracker>().PublishAsync(changes, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
            Message = "Presence heartbeat failed; this edge's users look offline until it succeeds")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5102, EventName = "PresenceRepaired", Level = LogLevel.Warning,
            Message = "The heartbeat repaired presence for {Count} users: this edge had been given up for dead, or " +
            "connections closed while Redis could not be reached")]
        public static partial void Repaired(ILogger logger, int count);

        [LoggerMessage(EventId = 5103, EventName = "ResignFailed", Level = LogLevel.Debug,
            Message = "Could not resign this edge from presence; the others sweep it once its heartbeat expires")]
        public static partial void ResignFailed(ILogger logger, Exception exception);
    }
}
