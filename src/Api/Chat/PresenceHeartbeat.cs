using EventChat.Infrastructure.Presence;

namespace EventChat.Api.Chat;

/// <summary>Keeps this edge's presence entries alive; when the process dies they expire with it.</summary>
public sealed partial class PresenceHeartbeat(
    IPresenceStore presence, PresenceOptions options, ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        do
        {
            try
            {
                await presence.HeartbeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
            Message = "Presence heartbeat failed; this edge's users look offline until it succeeds")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
