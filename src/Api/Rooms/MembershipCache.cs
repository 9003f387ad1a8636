using System.Collections.Concurrent;
using EventChat.Infrastructure.Moderation;

namespace EventChat.Api.Rooms;

/// <summary>
/// Remembers for a while that a user belongs to a room, and until when they are muted there, so that the hub does
/// not ask PostgreSQL on every message a member sends. A membership that ends or changes (a removal, a ban, a mute)
/// is forgotten at once on this edge and, through <see cref="MembershipNotices"/>, on every other edge;
/// <see cref="Lifetime"/> bounds how long a member removed or muted while that notice was lost (Redis down) can go
/// on sending.
/// </summary>
public sealed class MembershipCache : IHostedService
{
    public static readonly TimeSpan Lifetime = MembershipNotices.RememberFor;

    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<(Guid Room, Guid User), Entry> _confirmed = new();
    private readonly TimeProvider _clock;
    private readonly MembershipNotices _notices;
    private int _confirmations;
    private long _endings;

    public MembershipCache(TimeProvider clock, MembershipNotices notices)
    {
        _clock = clock;
        _notices = notices;
        _notices.Changed += Forget;
    }

    /// <summary>Whether the membership was confirmed by the database less than <see cref="Lifetime"/> ago.</summary>
    public bool Holds(Guid roomId, Guid userId) => Find(roomId, userId) is not null;

    /// <summary>
    /// Until when a remembered member is muted in the room: null when they are not, or when the membership is not
    /// remembered (then <see cref="Holds"/> is false and the caller asks the database).
    /// </summary>
    public DateTimeOffset? MutedUntil(Guid roomId, Guid userId) =>
        Find(roomId, userId)?.MutedUntil is DateTimeOffset until && until > _clock.GetUtcNow() ? until : null;

    /// <summary>
    /// Marks the start of a database check. A membership that ends while the check runs may have been read before
    /// it ended, so <see cref="Confirm"/> remembers nothing when any membership ended since this mark.
    /// </summary>
    public long BeginCheck() => Interlocked.Read(ref _endings);

    /// <summary>
    /// Records that a database check begun at <paramref name="checkStarted"/> found the membership, with the mute
    /// in force then, if any.
    /// </summary>
    public void Confirm(Guid roomId, Guid userId, long checkStarted, DateTimeOffset? mutedUntil = null)
    {
        _confirmed[(roomId, userId)] = new Entry(_clock.GetUtcNow().UtcTicks, mutedUntil);
        if (Interlocked.Read(ref _endings) != checkStarted)
        {
            // A change arrived after the check began; it may be this one's, and it may have come before the write
            // above, so the entry is taken back. The next call asks the database again.
            _confirmed.TryRemove((roomId, userId), out _);
            return;
        }

        if (Interlocked.Increment(ref _confirmations) % SweepEvery == 0)
        {
            foreach (var (key, entry) in _confirmed)
            {
                if (Expired(entry.ConfirmedAt))
                {
                    _confirmed.TryRemove(new KeyValuePair<(Guid, Guid), Entry>(key, entry));
                }
            }
        }
    }

    /// <summary>Forgets a membership that has ended or changed, here and on every other edge.</summary>
    public Task ChangedAsync(Guid roomId, Guid userId) => _notices.PublishAsync(roomId, userId);

    public Task StartAsync(CancellationToken cancellationToken) => _notices.SubscribeAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Entry? Find(Guid roomId, Guid userId) =>
        _confirmed.TryGetValue((roomId, userId), out var entry) && !Expired(entry.ConfirmedAt) ? entry : null;

    private bool Expired(long confirmedAtTicks) => _clock.GetUtcNow().UtcTicks - confirmedAtTicks >= Lifetime.Ticks;

    private void Forget(Guid roomId, Guid userId)
    {
        Interlocked.Increment(ref _endings);
        _confirmed.TryRemove((roomId, userId), out _);
    }

    private sealed record Entry(long ConfirmedAt, DateTimeOffset? MutedUntil);
}
