using EventChat.Api.Chat;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Presence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Presence;

/// <summary>
/// Online status as users see it. A user is online while any of their devices is connected to any edge, unless
/// they are invisible. Every change others can see is pushed as <see cref="IChatClient.PresenceChanged"/> to the
/// groups of all rooms the user is a member of; a connection subscribed to several of those rooms may get it more
/// than once, which is harmless since it carries a state, not a delta. A user whose edge is killed is reported
/// offline by <see cref="DeadEdgeSweeper"/> within <see cref="PresenceOptions.OfflineBound"/> (EdgeTimeout
/// 15 s + SweepInterval 5 s = 20 s by default).
/// </summary>
public sealed partial class PresenceTracker(
    IPresenceStore store,
    ChatDbContext db,
    IHubContext<ChatHub, IChatClient> hub,
    ILogger<PresenceTracker> logger)
{
    /// <summary>Users looked up per query when publishing a sweep, to keep each id list short.</summary>
    private const int LookupBatchSize = 500;

    public async Task ConnectedAsync(
        Guid userId, string userName, string connectionId, CancellationToken cancellationToken)
    {
        var change = await store.ConnectedAsync(
            userId, connectionId, ct => IsInvisibleAsync(userId, ct), cancellationToken);
        await PushAsync(change, userName, cancellationToken);
    }

    public async Task DisconnectedAsync(
        Guid userId,
        string userName,
        string connectionId,
        IReadOnlyCollection<Guid> subscribedRooms,
        CancellationToken cancellationToken)
    {
        var change = await store.DisconnectedAsync(userId, connectionId, subscribedRooms, cancellationToken);
        await PushAsync(change, userName, cancellationToken);
    }

    /// <summary>Counts this connection in the room's presence (<c>GET /api/rooms/{id}/presence</c>).</summary>
    public Task SubscribedAsync(Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken) =>
        store.JoinedAsync(roomId, userId, connectionId, cancellationToken);

    public Task UnsubscribedAsync(
        Guid roomId, Guid userId, string connectionId, CancellationToken cancellationToken) =>
        store.LeftAsync(roomId, userId, connectionId, cancellationToken);

    /// <summary>
    /// Stores the flag in the database first, which seeds the hot state whenever that has lost it, then in the hot
    /// state, which decides whether others see a change.
    /// </summary>
    public async Task SetInvisibleAsync(
        Guid userId, string userName, bool invisible, CancellationToken cancellationToken)
    {
        await db.Users
            .Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Invisible, invisible), cancellationToken);
        var change = await store.SetInvisibleAsync(userId, invisible, cancellationToken);
        await PushAsync(change, userName, cancellationToken);
    }

    /// <summary>Whether others see the user online: connected somewhere and not invisible.</summary>
    public async Task<bool> IsSeenOnlineAsync(Guid userId, CancellationToken cancellationToken) =>
        (await store.GetAsync([userId], cancellationToken)) is [{ Online: true }];

    /// <summary>What others see of each user, in the order asked; ids of no user are left out.</summary>
    public async Task<IReadOnlyList<PresenceView>> GetAsync(
        IReadOnlyList<Guid> userIds, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(userIds, cancellationToken);
        var known = userIds.Where(names.ContainsKey).ToList();
        var statuses = await store.GetAsync(known, cancellationToken);
        return statuses.Select(s => View(s, names[s.UserId])).ToList();
    }

    /// <summary>Pushes changes found without a user at hand: by a sweep, or when this edge registers again.</summary>
    public async Task PublishAsync(IReadOnlyCollection<PresenceStatus> changes, CancellationToken cancellationToken)
    {
        foreach (var batch in changes.Chunk(LookupBatchSize))
        {
            var ids = batch.Select(c => c.UserId).Distinct().ToList();
            var names = await NamesAsync(ids, cancellationToken);
            var memberships = await db.RoomMembers
                .AsNoTracking()
                .Where(m => ids.Contains(m.UserId))
                .Select(m => new { m.UserId, m.RoomId })
                .ToListAsync(cancellationToken);
            var rooms = memberships.ToLookup(m => m.UserId, m => m.RoomId);
            foreach (var change in batch)
            {
                if (names.TryGetValue(change.UserId, out var name))
                {
                    await SendAsync(View(change, name), rooms[change.UserId].ToList());
                }
            }
        }
    }

    /// <summary>
    /// Pushes a change made on behalf of a connection. The store already holds it, so a failure here loses only
    /// the push, and must not fail the connect, disconnect or call that caused it.
    /// </summary>
    private async Task PushAsync(PresenceStatus? change, string userName, CancellationToken cancellationToken)
    {
        if (change is null)
        {
            return;
        }

        try
        {
            var rooms = await db.RoomMembers
                .AsNoTracking()
                .Where(m => m.UserId == change.UserId)
                .Select(m => m.RoomId)
                .ToListAsync(cancellationToken);
            await SendAsync(View(change, userName), rooms);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PushFailed(logger, ex, change.UserId);
        }
    }

    private async Task SendAsync(PresenceView view, List<Guid> rooms)
    {
        if (rooms.Count == 0)
        {
            return;
        }

        // Presence is shown per room, so a change costs one backplane message per room the user is in.
        await hub.Clients.Groups(rooms.Select(ChatHub.GroupName).ToList()).PresenceChanged(view);
        Log.Pushed(logger, view.UserId, view.Online, rooms.Count);
    }

    private Task<bool> IsInvisibleAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => u.Invisible)
            .FirstOrDefaultAsync(cancellationToken);

    private Task<Dictionary<Guid, string>> NamesAsync(
        IReadOnlyList<Guid> userIds, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.UserName, cancellationToken);

    private static PresenceView View(PresenceStatus status, string userName) =>
        new(status.UserId, userName, status.Online, status.LastSeenAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5121, EventName = "PresencePushed", Level = LogLevel.Trace,
            Message = "Pushed user {UserId} online={Online} to {RoomCount} rooms")]
        public static partial void Pushed(ILogger logger, Guid userId, bool online, int roomCount);

        [LoggerMessage(EventId = 5122, EventName = "PresencePushFailed", Level = LogLevel.Warning,
            Message = "Could not push the presence of user {UserId}; readers still see the new status")]
        public static partial void PushFailed(ILogger logger, Exception exception, Guid userId);
    }
}
