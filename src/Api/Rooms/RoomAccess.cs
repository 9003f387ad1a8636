using EventChat.Api.Limits;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Streams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Api.Rooms;

/// <summary>
/// Rooms and their members, shared by the hub and the REST endpoints so that both enforce the same rules. Every
/// change takes the room's row lock first, checks the rules against what it then reads, and commits the change
/// with its room event and outbox row, so membership events number into the same stream as messages.
/// </summary>
public sealed class RoomAccess(
    ChatDbContext db, OutboxSignal outboxSignal, MembershipCache memberships, RateLimiter limiter, TimeProvider clock)
{
    public const int MaxGroupSize = 50;

    /// <summary>The room if <paramref name="userId"/> may read it: any public channel, or a room they belong to.</summary>
    public async Task<Room?> FindReadableAsync(Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        var room = await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, cancellationToken);
        if (room is null || room.Visibility == RoomVisibility.Public)
        {
            return room;
        }

        return await IsMemberAsync(roomId, userId, cancellationToken) ? room : null;
    }

    public Task<bool> IsMemberAsync(Guid roomId, Guid userId, CancellationToken cancellationToken) =>
        db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, cancellationToken);

    /// <summary>Whether the user is a member, and until when they are muted there (null when they are not).</summary>
    public async Task<(bool Member, DateTimeOffset? MutedUntil)> MembershipAsync(
        Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        if (!await IsMemberAsync(roomId, userId, cancellationToken))
        {
            return (false, null);
        }

        return (true, await RoomSanctions.MutedUntilAsync(db, roomId, userId, clock.GetUtcNow(), cancellationToken));
    }

    public Task<RoomRole?> RoleAsync(Guid roomId, Guid userId, CancellationToken cancellationToken) =>
        db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .Select(m => (RoomRole?)m.Role)
            .SingleOrDefaultAsync(cancellationToken);

    public Task<long> LastSeqAsync(Guid roomId, CancellationToken cancellationToken) =>
        db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync(cancellationToken);

    /// <summary>A new channel with the caller as owner. Its stream starts empty; <see cref="RoomJoined"/> announces the owner.</summary>
    public async Task<Guid> CreateAsync(
        string name, RoomVisibility visibility, Guid ownerId, string ownerName, CancellationToken cancellationToken)
    {
        await limiter.EnsureAsync(limiter.RoomCreations, ownerId, cancellationToken);
        var now = clock.GetUtcNow();
        var room = NewRoom(name, RoomKind.Channel, visibility, ownerId, now);
        db.Rooms.Add(room);
        db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = ownerId, Role = RoomRole.Owner, JoinedAt = now });
        OutboxLog.Add(db, new RoomJoined(room.Id, ownerId, ownerName, now), Guid.CreateVersion7(), room.Id);
        await db.SaveChangesAsync(cancellationToken);
        outboxSignal.Notify();
        return room.Id;
    }

    /// <summary>
    /// The one direct room of two users, created on first use. Both sides get the same room, because it is keyed
    /// by the pair of ids in order. Returns null when <paramref name="otherId"/> is not a user.
    /// </summary>
    public async Task<(Guid RoomId, bool Created)?> OpenDirectAsync(
        Guid userId, Guid otherId, CancellationToken cancellationToken)
    {
        var key = userId.CompareTo(otherId) < 0 ? $"{userId:N}:{otherId:N}" : $"{otherId:N}:{userId:N}";
        var existing = await db.Rooms.Where(r => r.DirectKey == key).Select(r => (Guid?)r.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (existing is Guid found)
        {
            return (found, false);
        }

        var names = await UserNamesAsync([userId, otherId], cancellationToken);
        if (names.Count < 2)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var room = NewRoom(string.Join(", ", names.Values.Order(StringComparer.Ordinal)), RoomKind.Direct,
            RoomVisibility.Private, userId, now);
        room.DirectKey = key;
        db.Rooms.Add(room);
        foreach (var (member, name) in names)
        {
            db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = member, Role = RoomRole.Member, JoinedAt = now });
            OutboxLog.Add(db, new RoomJoined(room.Id, member, name, now), Guid.CreateVersion7(), room.Id);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            outboxSignal.Notify();
            return (room.Id, true);
        }
        catch (DbUpdateException)
        {
            // The other side opened it at the same moment; theirs is the pair's room.
            db.ChangeTracker.Clear();
            var winner = await db.Rooms.Where(r => r.DirectKey == key).Select(r => r.Id).SingleAsync(cancellationToken);
            return (winner, false);
        }
    }

    /// <summary>A new private conversation of the caller and <paramref name="others"/>; null if one is not a user.</summary>
    public async Task<Guid?> CreateGroupAsync(
        Guid ownerId, IReadOnlyCollection<Guid> others, CancellationToken cancellationToken)
    {
        var everyone = others.Append(ownerId).Distinct().ToList();
        var names = await UserNamesAsync(everyone, cancellationToken);
        if (names.Count != everyone.Count)
        {
            return null;
        }

        await limiter.EnsureAsync(limiter.RoomCreations, ownerId, cancellationToken);

        var now = clock.GetUtcNow();
        var title = string.Join(", ", names.Values.Order(StringComparer.Ordinal));
        var room = NewRoom(title.Length > RoomEndpoints.MaxRoomNameLength ? title[..RoomEndpoints.MaxRoomNameLength] : title,
            RoomKind.Group, RoomVisibility.Private, ownerId, now);
        db.Rooms.Add(room);
        foreach (var member in everyone)
        {
            db.RoomMembers.Add(new RoomMember
            {
                RoomId = room.Id,
                UserId = member,
                Role = member == ownerId ? RoomRole.Owner : RoomRole.Member,
                JoinedAt = now,
            });
            OutboxLog.Add(db, new RoomJoined(room.Id, member, names[member], now), Guid.CreateVersion7(), room.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        outboxSignal.Notify();
        return room.Id;
    }

    /// <summary>Makes the user a member of a public channel, announcing it in the room's stream and as <see cref="RoomJoined"/>.</summary>
    public async Task<RoomResult> JoinAsync(Guid roomId, Guid userId, string userName, CancellationToken cancellationToken)
    {
        // Only a join that makes a member counts: a client subscribing again to its rooms after a reconnect is not.
        if (!memberships.Holds(roomId, userId) && !await IsMemberAsync(roomId, userId, cancellationToken))
        {
            await limiter.EnsureAsync(limiter.Joins, userId, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var room = await LockedRoomAsync(roomId, cancellationToken);
        if (room is null)
        {
            return RoomNotFound(roomId);
        }

        if (await IsMemberAsync(roomId, userId, cancellationToken))
        {
            return RoomResult.Unchanged;
        }

        if (room.Visibility == RoomVisibility.Private)
        {
            return RoomNotFound(roomId);
        }

        if (await ActiveBanAsync(roomId, userId, cancellationToken) is RoomBan ban)
        {
            return RoomResult.Forbidden($"You are banned from room {roomId} {BanTerm(ban)}.");
        }

        var now = RoomStream.Now(clock);
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = userId, Role = RoomRole.Member, JoinedAt = now });
        OutboxLog.Add(db, new RoomJoined(roomId, userId, userName, now), Guid.CreateVersion7(), roomId);
        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberJoined, now, userId, userName,
            UserId: userId, UserName: userName, Role: RoomResult.RoleName(RoomRole.Member)), cancellationToken);
        return await CommitAsync(transaction, cancellationToken);
    }

    public async Task<RoomResult> LeaveAsync(Guid roomId, Guid userId, string userName, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var room = await LockedRoomAsync(roomId, cancellationToken);
        var member = room is null ? null : await MemberAsync(roomId, userId, cancellationToken);
        if (room is null || member is null)
        {
            return RoomResult.NotFound($"You are not a member of room {roomId}.");
        }

        if (member.Role == RoomRole.Owner)
        {
            return RoomResult.Conflict("The owner cannot leave: hand over ownership to another member first.");
        }

        if (room.Kind == RoomKind.Direct)
        {
            return RoomResult.Conflict("A direct conversation cannot be left.");
        }

        db.RoomMembers.Remove(member);
        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberLeft, RoomStream.Now(clock), userId, userName,
            UserId: userId, UserName: userName), cancellationToken);
        var left = await CommitAsync(transaction, cancellationToken);
        await memberships.ChangedAsync(roomId, userId);
        return left;
    }

    public async Task<RoomResult> AddMemberAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (room, actor, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (await IsMemberAsync(roomId, userId, cancellationToken))
        {
            return RoomResult.Unchanged;
        }

        var name = (await UserNamesAsync([userId], cancellationToken)).GetValueOrDefault(userId);
        if (name is null)
        {
            return RoomResult.NotFound($"User {userId} does not exist.");
        }

        if (await ActiveBanAsync(roomId, userId, cancellationToken) is RoomBan ban)
        {
            return RoomResult.Conflict($"User {userId} is banned from room {roomId} {BanTerm(ban)}.");
        }

        var now = RoomStream.Now(clock);
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = userId, Role = RoomRole.Member, JoinedAt = now });
        OutboxLog.Add(db, new RoomJoined(roomId, userId, name, now), Guid.CreateVersion7(), roomId);
        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberAdded, now, actor!.UserId, actorName,
            UserId: userId, UserName: name, Role: RoomResult.RoleName(RoomRole.Member)), cancellationToken);
        return await CommitAsync(transaction, cancellationToken);
    }

    /// <summary>Removes (kicks) a member, who may join again; recorded in the moderation log.</summary>
    public async Task<RoomResult> RemoveMemberAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (member, refused) = await AuthorizeOnMemberAsync(roomId, actorId, userId, "remove", "removed",
            cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        db.RoomMembers.Remove(member!);
        var name = (await UserNamesAsync([userId], cancellationToken)).GetValueOrDefault(userId) ?? string.Empty;
        var now = RoomStream.Now(clock);
        ModerationLog.Record(db, Action(ModerationActions.Kick, roomId, actorId, actorName, userId, null, now));
        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberRemoved, now, actorId,
            actorName, UserId: userId, UserName: name), cancellationToken);
        return await CommitChangedAsync(transaction, roomId, userId, cancellationToken);
    }

    /// <summary>
    /// Bans a user until <paramref name="until"/>, or for good when it is null: a member loses the membership
    /// (<c>member.banned</c>), and nobody can make them a member again while the ban lasts. A user who is not a
    /// member may be banned too. Banning again replaces the term.
    /// </summary>
    public async Task<RoomResult> BanAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, DateTimeOffset? until, string? reason,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, actor, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var name = (await UserNamesAsync([userId], cancellationToken)).GetValueOrDefault(userId);
        if (name is null)
        {
            return RoomResult.NotFound($"User {userId} does not exist.");
        }

        var member = await MemberAsync(roomId, userId, cancellationToken);
        if (member is not null && OutranksActor(actor!, member, "ban", "banned") is RoomResult outranked)
        {
            return outranked;
        }

        var now = RoomStream.Now(clock);
        var ban = await db.RoomBans.SingleOrDefaultAsync(b => b.RoomId == roomId && b.UserId == userId, cancellationToken);
        if (ban is null)
        {
            ban = new RoomBan { RoomId = roomId, UserId = userId };
            db.RoomBans.Add(ban);
        }

        ban.Until = until;
        ban.BannedBy = actorId;
        ban.BannedAt = now;
        ban.Reason = reason;
        if (member is not null)
        {
            db.RoomMembers.Remove(member);
        }

        ModerationLog.Record(db, Action(ModerationActions.Ban, roomId, actorId, actorName, userId, reason, now, until));
        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberBanned, now, actorId, actorName,
            UserId: userId, UserName: name, Until: until), cancellationToken);
        return await CommitChangedAsync(transaction, roomId, userId, cancellationToken);
    }

    /// <summary>Lifts a ban before its end. No event: nothing changes that members see.</summary>
    public async Task<RoomResult> UnbanAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, _, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var ban = await db.RoomBans.SingleOrDefaultAsync(b => b.RoomId == roomId && b.UserId == userId, cancellationToken);
        if (ban is null || !ban.ActiveAt(clock.GetUtcNow()))
        {
            return RoomResult.NotFound($"User {userId} is not banned from room {roomId}.");
        }

        db.RoomBans.Remove(ban);
        ModerationLog.Record(db, Action(ModerationActions.Unban, roomId, actorId, actorName, userId, null,
            RoomStream.Now(clock)));
        return await CommitAsync(transaction, cancellationToken);
    }

    /// <summary>The room's bans in force, for its owner and admins.</summary>
    public async Task<(IReadOnlyList<RoomBan>? Bans, RoomResult? Refused)> BansAsync(
        Guid roomId, Guid actorId, CancellationToken cancellationToken)
    {
        if (await CheckAdminAsync(roomId, actorId, cancellationToken) is RoomResult refused)
        {
            return (null, refused);
        }

        var now = clock.GetUtcNow();
        var bans = await db.RoomBans.AsNoTracking().Where(b => b.RoomId == roomId).ToListAsync(cancellationToken);
        return (bans.Where(b => b.ActiveAt(now)).OrderBy(b => b.BannedAt).ToList(), null);
    }

    /// <summary>
    /// Mutes a member until <paramref name="until"/>: the room refuses their messages and edits meanwhile, on every
    /// edge (<c>member.muted</c>). Muting again replaces the term.
    /// </summary>
    public async Task<RoomResult> MuteAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, DateTimeOffset until, string? reason,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, refused) = await AuthorizeOnMemberAsync(roomId, actorId, userId, "mute", "muted", cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var name = (await UserNamesAsync([userId], cancellationToken)).GetValueOrDefault(userId) ?? string.Empty;
        var action = Action(ModerationActions.Mute, roomId, actorId, actorName, userId, reason, RoomStream.Now(clock),
            until);
        _ = await RoomSanctions.MuteAsync(db, action, name, cancellationToken)
            ?? throw new InvalidOperationException($"Room {roomId} disappeared during a change.");
        return await CommitChangedAsync(transaction, roomId, userId, cancellationToken);
    }

    /// <summary>Lifts a mute before its end (<c>member.unmuted</c>).</summary>
    public async Task<RoomResult> UnmuteAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, _, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var mute = await db.RoomMutes.SingleOrDefaultAsync(m => m.RoomId == roomId && m.UserId == userId, cancellationToken);
        var now = RoomStream.Now(clock);
        if (mute is null || mute.Until <= now)
        {
            return RoomResult.NotFound($"User {userId} is not muted in room {roomId}.");
        }

        db.RoomMutes.Remove(mute);
        var name = (await UserNamesAsync([userId], cancellationToken)).GetValueOrDefault(userId) ?? string.Empty;
        ModerationLog.Record(db, Action(ModerationActions.Unmute, roomId, actorId, actorName, userId, null, now));
        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberUnmuted, now, actorId, actorName,
            UserId: userId, UserName: name), cancellationToken);
        return await CommitChangedAsync(transaction, roomId, userId, cancellationToken);
    }

    /// <summary>
    /// Admins and the owner move members between member and admin; only the owner hands over ownership, and then
    /// becomes an admin, so a room always has exactly one owner.
    /// </summary>
    public async Task<RoomResult> ChangeRoleAsync(
        Guid roomId, Guid actorId, string actorName, Guid userId, RoomRole role, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (room, actor, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var member = await MemberAsync(roomId, userId, cancellationToken);
        if (member is null)
        {
            return RoomResult.NotFound($"User {userId} is not a member of room {roomId}.");
        }

        if (member.Role == role)
        {
            return RoomResult.Unchanged;
        }

        if (member.Role == RoomRole.Owner)
        {
            return RoomResult.Conflict("The owner keeps that role until they hand ownership to someone else.");
        }

        if (role == RoomRole.Owner && actor!.Role != RoomRole.Owner)
        {
            return RoomResult.Forbidden("Only the owner can hand over ownership.");
        }

        // Otherwise an admin could demote another admin and then remove them, which only the owner may do.
        if (member.Role == RoomRole.Admin && actor!.Role != RoomRole.Owner)
        {
            return RoomResult.Forbidden("Only the owner can change an admin's role.");
        }

        var now = RoomStream.Now(clock);
        var names = await UserNamesAsync([userId, actorId], cancellationToken);
        member.Role = role;
        if (role == RoomRole.Owner)
        {
            actor!.Role = RoomRole.Admin;
            await db.Rooms.Where(r => r.Id == roomId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.OwnerId, userId), cancellationToken);
            await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberRoleChanged, now, actorId, actorName,
                UserId: actorId, UserName: names.GetValueOrDefault(actorId, actorName),
                Role: RoomResult.RoleName(RoomRole.Admin)), cancellationToken);
        }

        await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.MemberRoleChanged, now, actorId, actorName,
            UserId: userId, UserName: names.GetValueOrDefault(userId, string.Empty), Role: RoomResult.RoleName(role)),
            cancellationToken);
        return await CommitAsync(transaction, cancellationToken);
    }

    /// <summary>Renames the room (an event) and sets its retention period (no event: it changes no state clients see).</summary>
    public async Task<RoomResult> UpdateAsync(
        Guid roomId, Guid actorId, string actorName, string? name, int? retentionDays,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (room, _, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        // Updated in place rather than through the loaded entity, which would write back a stale LastSeq.
        var rooms = db.Rooms.Where(r => r.Id == roomId);
        var changed = false;
        if (retentionDays is int days)
        {
            int? kept = days == 0 ? null : days;
            await rooms.ExecuteUpdateAsync(s => s.SetProperty(r => r.RetentionDays, kept), cancellationToken);
            changed = true;
        }

        if (name is not null && name != room!.Name)
        {
            var normalized = RoomStream.NormalizeName(name);
            await rooms.ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Name, name).SetProperty(r => r.NormalizedName, normalized), cancellationToken);
            await AppendAsync(new RoomEvent(roomId, 0, RoomEventTypes.RoomRenamed, RoomStream.Now(clock), actorId,
                actorName, RoomName: name), cancellationToken);
            changed = true;
        }

        if (!changed)
        {
            return RoomResult.Unchanged;
        }

        return await CommitAsync(transaction, cancellationToken);
    }

    /// <summary>Mutes or unmutes the room for the member: a muted room creates no notifications for them.</summary>
    public async Task<bool> SetMutedAsync(Guid roomId, Guid userId, bool muted, CancellationToken cancellationToken) =>
        await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Muted, muted), cancellationToken) > 0;

    /// <summary>
    /// Moves the member's read watermark forward to <paramref name="seq"/>, capped at the room's newest event.
    /// Returns the watermark and whether it moved, or null when the user is not a member.
    /// </summary>
    public async Task<(long LastReadSeq, bool Moved)?> MarkReadAsync(
        Guid roomId, Guid userId, long seq, CancellationToken cancellationToken)
    {
        var lastSeq = await db.Rooms.Where(r => r.Id == roomId).Select(r => (long?)r.LastSeq)
            .SingleOrDefaultAsync(cancellationToken);
        if (lastSeq is null)
        {
            return null;
        }

        var target = Math.Min(seq, lastSeq.Value);
        var moved = await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId && m.LastReadSeq < target)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSeq, target), cancellationToken);
        var current = await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .Select(m => (long?)m.LastReadSeq)
            .SingleOrDefaultAsync(cancellationToken);
        return current is long watermark ? (watermark, moved > 0) : null;
    }

    private static Room NewRoom(string name, RoomKind kind, RoomVisibility visibility, Guid ownerId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = name,
        NormalizedName = RoomStream.NormalizeName(name),
        Kind = kind,
        Visibility = visibility,
        OwnerId = ownerId,
        CreatedAt = now,
    };

    private async Task<Room?> LockedRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        await RoomStream.LockAsync(db, roomId, cancellationToken);
        return await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, cancellationToken);
    }

    private Task<RoomMember?> MemberAsync(Guid roomId, Guid userId, CancellationToken cancellationToken) =>
        db.RoomMembers.SingleOrDefaultAsync(m => m.RoomId == roomId && m.UserId == userId, cancellationToken);

    /// <summary>Null when the actor is the room's owner or an admin, else why not; reads without locking.</summary>
    public async Task<RoomResult?> CheckAdminAsync(Guid roomId, Guid actorId, CancellationToken cancellationToken) =>
        (await AuthorizeAsync(roomId, actorId, cancellationToken, lockRoom: false)).Refused;

    /// <summary>Locks the room and checks that the actor is its owner or an admin.</summary>
    private async Task<(Room? Room, RoomMember? Actor, RoomResult? Refused)> AuthorizeAsync(
        Guid roomId, Guid actorId, CancellationToken cancellationToken, bool lockRoom = true)
    {
        var room = lockRoom
            ? await LockedRoomAsync(roomId, cancellationToken)
            : await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, cancellationToken);
        var actor = room is null ? null : await MemberAsync(roomId, actorId, cancellationToken);
        if (room is null || (actor is null && room.Visibility == RoomVisibility.Private))
        {
            return (null, null, RoomNotFound(roomId));
        }

        if (room.Kind == RoomKind.Direct && actor is not null)
        {
            return (room, actor, RoomResult.Conflict(
                "A direct conversation cannot be changed: it keeps its two members, its name and its settings, and has " +
                "no roles. Open a group conversation for that."));
        }

        return actor?.Role is RoomRole.Owner or RoomRole.Admin
            ? (room, actor, null)
            : (room, actor, RoomResult.Forbidden("Only the room's owner or an admin may do that."));
    }

    /// <summary>
    /// Locks the room and checks that the actor is its owner or an admin, that the user is a member, and that the
    /// actor outranks them (so nobody acts on themselves).
    /// </summary>
    private async Task<(RoomMember? Member, RoomResult? Refused)> AuthorizeOnMemberAsync(
        Guid roomId, Guid actorId, Guid userId, string verb, string done, CancellationToken cancellationToken)
    {
        var (_, actor, refused) = await AuthorizeAsync(roomId, actorId, cancellationToken);
        if (refused is not null)
        {
            return (null, refused);
        }

        var member = await MemberAsync(roomId, userId, cancellationToken);
        if (member is null)
        {
            return (null, RoomResult.NotFound($"User {userId} is not a member of room {roomId}."));
        }

        return (member, OutranksActor(actor!, member, verb, done));
    }

    /// <summary>The owner cannot be removed, banned or muted, and only the owner may do that to an admin.</summary>
    private static RoomResult? OutranksActor(RoomMember actor, RoomMember target, string verb, string done) =>
        target.Role == RoomRole.Owner
            ? RoomResult.Forbidden($"The owner cannot be {done}.")
            : target.Role == RoomRole.Admin && actor.Role != RoomRole.Owner
                ? RoomResult.Forbidden($"Only the owner can {verb} an admin.")
                : null;

    private async Task<RoomBan?> ActiveBanAsync(Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        var ban = await db.RoomBans.AsNoTracking()
            .SingleOrDefaultAsync(b => b.RoomId == roomId && b.UserId == userId, cancellationToken);
        return ban is not null && ban.ActiveAt(clock.GetUtcNow()) ? ban : null;
    }

    private static string BanTerm(RoomBan ban) => ban.Until is DateTimeOffset until ? $"until {until:O}" : "for good";

    private static ModerationActionTaken Action(
        string action, Guid roomId, Guid actorId, string actorName, Guid userId, string? reason, DateTimeOffset now,
        DateTimeOffset? until = null) =>
        new(Guid.CreateVersion7(), roomId, action, actorId, actorName, userId, null, null, reason, until, now);

    private async Task<Dictionary<Guid, string>> UserNamesAsync(
        IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.UserName, cancellationToken);

    private async Task AppendAsync(RoomEvent draft, CancellationToken cancellationToken)
    {
        // Flushes staged rows first: the append's counter update runs as its own statement.
        await db.SaveChangesAsync(cancellationToken);
        _ = await RoomStream.AppendAsync(db, draft, cancellationToken)
            ?? throw new InvalidOperationException($"Room {draft.RoomId} disappeared during a change.");
    }

    /// <summary>Commits a change to the user's membership and tells every edge to forget what it remembered of it.</summary>
    private async Task<RoomResult> CommitChangedAsync(
        IDbContextTransaction transaction, Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        var committed = await CommitAsync(transaction, cancellationToken);
        await memberships.ChangedAsync(roomId, userId);
        return committed;
    }

    private async Task<RoomResult> CommitAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        return RoomResult.Done;
    }

    private static RoomResult RoomNotFound(Guid roomId) =>
        RoomResult.NotFound($"Room {roomId} does not exist, or it is private and you are not a member.");
}
