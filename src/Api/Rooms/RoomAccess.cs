using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Api.Rooms;

/// <summary>Membership rules, shared by the hub and the REST endpoints so that both enforce the same ones.</summary>
public sealed class RoomAccess(ChatDbContext db, OutboxSignal outboxSignal, TimeProvider clock)
{
    /// <summary>The room if <paramref name="userId"/> may read it: any public room, or a private one they belong to.</summary>
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

    public Task<long> LastSeqAsync(Guid roomId, CancellationToken cancellationToken) =>
        db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync(cancellationToken);

    public async Task<Guid> CreateAsync(
        string name, RoomVisibility visibility, Guid ownerId, string ownerName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var room = new Room
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Visibility = visibility,
            OwnerId = ownerId,
            CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Rooms.Add(room);
        AddMember(room.Id, ownerId, ownerName, RoomRole.Owner, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        return room.Id;
    }

    /// <summary>Makes the user a member of a public room (announcing <see cref="RoomJoined"/>), or confirms membership.</summary>
    public async Task<JoinOutcome> JoinAsync(Guid roomId, Guid userId, string userName, CancellationToken cancellationToken)
    {
        var room = await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, cancellationToken);
        if (room is null)
        {
            return JoinOutcome.NotFound;
        }

        if (await IsMemberAsync(roomId, userId, cancellationToken))
        {
            return JoinOutcome.AlreadyMember;
        }

        if (room.Visibility == RoomVisibility.Private)
        {
            return JoinOutcome.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        AddMember(roomId, userId, userName, RoomRole.Member, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same user joined from another connection at the same moment; one membership is enough.
            db.ChangeTracker.Clear();
            return JoinOutcome.AlreadyMember;
        }

        outboxSignal.Notify();
        return JoinOutcome.Joined;
    }

    public async Task LeaveAsync(Guid roomId, Guid userId, CancellationToken cancellationToken)
    {
        await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId && m.Role != RoomRole.Owner)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private void AddMember(Guid roomId, Guid userId, string userName, RoomRole role, DateTimeOffset now)
    {
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = userId, Role = role, JoinedAt = now });
        OutboxLog.Add(db, new RoomJoined(roomId, userId, userName, now), Guid.CreateVersion7(), roomId);
    }
}
