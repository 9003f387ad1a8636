using EventChat.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EventChat.Infrastructure.Moderation;

/// <summary>
/// Tells every edge that a membership ended or changed (a leave, a removal, a ban, a mute), so that an edge that
/// remembers it reads it again. In this process the notice is raised at once; through Redis it reaches the other
/// processes. Without Redis (the embedded default) there is only this process.
/// </summary>
public sealed partial class MembershipNotices(
    RedisOptions options, ILogger<MembershipNotices> logger, IConnectionMultiplexer? redis = null)
{
    /// <summary>How long an edge may remember a membership; bounds what a notice lost while Redis is down costs.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(30);

    // The name predates bans and mutes; kept so that edges of two versions hear each other during an upgrade.
    private readonly RedisChannel _channel = RedisChannel.Literal($"{options.Prefix}:membership-ended");

    /// <summary>Raised with the room and user of every notice, from this process or another.</summary>
    public event Action<Guid, Guid>? Changed;

    public async Task PublishAsync(Guid roomId, Guid userId)
    {
        Changed?.Invoke(roomId, userId);
        if (redis is null)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(_channel, $"{roomId:N}:{userId:N}");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NoticeLost(logger, ex, roomId, userId, RememberFor.TotalSeconds);
        }
    }

    /// <summary>Starts hearing the other processes' notices.</summary>
    public async Task SubscribeAsync()
    {
        if (redis is null)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().SubscribeAsync(_channel, (_, notice) => Raise(notice));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NotSubscribed(logger, ex, RememberFor.TotalSeconds);
        }
    }

    private void Raise(RedisValue notice)
    {
        var parts = ((string?)notice ?? string.Empty).Split(':');
        if (parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var roomId)
            && Guid.TryParseExact(parts[1], "N", out var userId))
        {
            Changed?.Invoke(roomId, userId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, EventName = "MembershipNoticeLost", Level = LogLevel.Warning,
            Message = "Could not tell the other edges that user {UserId}'s membership of room {RoomId} changed; they may act on the old one for up to {Seconds} s")]
        public static partial void NoticeLost(ILogger logger, Exception exception, Guid roomId, Guid userId, double seconds);

        [LoggerMessage(EventId = 5102, EventName = "MembershipNoticesNotSubscribed", Level = LogLevel.Warning,
            Message = "Could not subscribe to membership changes; a member removed, banned or muted on another edge may go on sending here for up to {Seconds} s")]
        public static partial void NotSubscribed(ILogger logger, Exception exception, double seconds);
    }
}
