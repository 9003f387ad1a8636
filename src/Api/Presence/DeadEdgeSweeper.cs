using EventChat.Infrastructure.Hosting;
using EventChat.Infrastructure.Presence;

namespace EventChat.Api.Presence;

/// <summary>
/// Every <see cref="PresenceOptions.SweepInterval"/>, removes the connections of edges whose heartbeat has expired
/// and pushes the users who thereby went offline, with that moment as their last-seen time. Every edge runs one,
/// and the store lets only one of them report each user. An edge killed without a goodbye keeps its heartbeat
/// for at most <see cref="PresenceOptions.EdgeTimeout"/>, so its users are reported offline at most
/// <see cref="PresenceOptions.OfflineBound"/> after their last heartbeat: 15 s + 5 s = 20 s by default, plus the
/// few milliseconds a sweep takes.
/// </summary>
public sealed partial class DeadEdgeSweeper(
    IPresenceStore store, IServiceScopeFactory scopes, PresenceOptions options, ILogger<DeadEdgeSweeper> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(options.SweepInterval, SweepAsync, ex => Log.Failed(logger, ex), stoppingToken);

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var sweep = await store.SweepDeadEdgesAsync(cancellationToken);
        if (sweep.DeadEdges.Count == 0)
        {
            return;
        }

        Log.Swept(logger, string.Join(", ", sweep.DeadEdges), sweep.Changes.Count);
        if (sweep.Changes.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PresenceTracker>()
                .PublishAsync(sweep.Changes, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5111, EventName = "DeadEdgesSwept", Level = LogLevel.Information,
            Message = "Removed the connections of dead edges {Edges}; {Count} users went offline")]
        public static partial void Swept(ILogger logger, string edges, int count);

        [LoggerMessage(EventId = 5112, EventName = "SweepFailed", Level = LogLevel.Warning,
            Message = "Looking for dead edges failed; the next sweep tries again")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
