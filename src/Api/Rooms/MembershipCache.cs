using System.Collections.Concurrent;
using EventChat.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventChat.Api.Rooms;

/// <summary>
/// Remembers for a while that a user belongs to a room, so that the hub does not ask PostgreSQL on every message a
/// member sends. A membership that ends is forgotten at once on this edge and, through a Redis channel, on every
/// other edge; <see cref="Lifetime"/> bounds how long a member removed while that notice was lost (Redis down)
/// can go on sending.
/// </summary>
public sealed partial class MembershipCache : IHostedService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<(Guid Room, Guid User), long> _confirmedAt = new();
    private readonly TimeProvider _clock;
    private readonly IConnectionMultiplexer? _redis;
    private readonly RedisChannel _channel;
    private readonly ILogger<MembershipCache> _logger;
    private int _confirmations;
    private long _endings;

    /// <param name="redis">Redis, to hear of memberships ended on other edges; none in the embedded default.</param>
    public MembershipCache(
        TimeProvider clock, RedisOptions redisOptions, ILogger<MembershipCache> logger,
        IConnectionMultiplexer? redis = null)
    {
        _clock = clock;
        _logger = logger;
        _redis = redis;
        _channel = RedisChannel.Literal($"{redisOptions.Prefix}:membership-ended");
    }

    /// <summary>Whether the membership was confirmed by the database less than <see cref="Lifetime"/> ago.</summary>
    public bool Holds(Guid roomId, Guid userId) =>
        _confirmedAt.TryGetValue((roomId, userId), out var at) && !Expired(at);

    /// <summary>
    /// Marks the start of a database check. A membership that ends while the check runs may have been read before
    /// it ended, so <see cref="Confirm"/> remembers nothing when any membership ended since this mark.
    /// </summary>
    public long BeginCheck() => Interlocked.Read(ref _endings);

    /// <summary>Records that a database check begun at <paramref name="checkStarted"/> found the membership.</summary>
    public void Confirm(Guid roomId, Guid userId, long checkStarted)
    {
        _confirmedAt[(roomId, userId)] = _clock.GetUtcNow().UtcTicks;
        if (Interlocked.Read(ref _endings) != checkStarted)
        {
            // An ending arrived after the check began; it may be this one's, and it may have come before the write
            // above, so the entry is taken back. The next call asks the database again.
            _confirmedAt.TryRemove((roomId, userId), out _);
            return;
        }

        if (Interlocked.Increment(ref _confirmations) % SweepEvery == 0)
        {
            foreach (var (key, at) in _confirmedAt)
            {
                if (Expired(at))
                {
                    _confirmedAt.TryRemove(new KeyValuePair<(Guid, Guid), long>(key, at));
                }
            }
        }
    }

    /// <summary>Forgets a membership that has ended, here and on every other edge.</summary>
    public async Task EndedAsync(Guid roomId, Guid userId)
    {
        Forget(roomId, userId);
        if (_redis is null)
        {
            return;
        }

        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, $"{roomId:N}:{userId:N}");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NoticeLost(_logger, ex, roomId, userId, Lifetime.TotalSeconds);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis is null)
        {
            return;
        }

        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, notice) => Forget(notice));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NotSubscribed(_logger, ex, Lifetime.TotalSeconds);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool Expired(long confirmedAtTicks) => _clock.GetUtcNow().UtcTicks - confirmedAtTicks >= Lifetime.Ticks;

    private void Forget(RedisValue notice)
    {
        var parts = ((string?)notice ?? string.Empty).Split(':');
        if (parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var roomId)
            && Guid.TryParseExact(parts[1], "N", out var userId))
        {
            Forget(roomId, userId);
        }
    }

    private void Forget(Guid roomId, Guid userId)
    {
        Interlocked.Increment(ref _endings);
        _confirmedAt.TryRemove((roomId, userId), out _);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, EventName = "MembershipNoticeLost", Level = LogLevel.Warning,
            Message = "Could not tell the other edges that user {UserId} left room {RoomId}; they may accept that user's calls for up to {Seconds} s")]
        public static partial void NoticeLost(ILogger logger, Exception exception, Guid roomId, Guid userId, double seconds);

        [LoggerMessage(EventId = 5102, EventName = "MembershipNoticesNotSubscribed", Level = LogLevel.Warning,
            Message = "Could not subscribe to ended memberships; a member removed on another edge may go on sending here for up to {Seconds} s")]
        public static partial void NotSubscribed(ILogger logger, Exception exception, double seconds);
    }
}
