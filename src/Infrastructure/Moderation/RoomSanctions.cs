using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Streams;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Infrastructure.Moderation;

/// <summary>
/// The mute both an admin (at an edge) and the moderation worker impose, so that both write the same rows and
/// event. The caller holds the room's lock in an open transaction, and commits.
/// </summary>
public static class RoomSanctions
{
    /// <summary>
    /// Mutes the action's user until its <c>Until</c> (a later mute replaces an earlier one), appends
    /// <c>member.muted</c> and records the action, whose <c>ActorId</c> is null when the worker imposes it.
    /// </summary>
    public static async Task<RoomEvent?> MuteAsync(
        ChatDbContext db, ModerationActionTaken action, string userName, CancellationToken cancellationToken)
    {
        var userId = action.UserId!.Value;
        var until = action.Until!.Value;
        var mute = await db.RoomMutes.SingleOrDefaultAsync(
            m => m.RoomId == action.RoomId && m.UserId == userId, cancellationToken);
        if (mute is null)
        {
            mute = new RoomMute { RoomId = action.RoomId, UserId = userId };
            db.RoomMutes.Add(mute);
        }

        mute.Until = until;
        mute.MutedBy = action.ActorId;
        mute.MutedAt = action.OccurredAt;
        mute.Reason = action.Reason;
        ModerationLog.Record(db, action);

        // Flushes staged rows first: the append's counter update runs as its own statement.
        await db.SaveChangesAsync(cancellationToken);
        return await RoomStream.AppendAsync(db, new RoomEvent(action.RoomId, 0, RoomEventTypes.MemberMuted,
            action.OccurredAt, action.ActorId ?? Guid.Empty, action.ActorName ?? AutomaticActor,
            UserId: userId, UserName: userName, Until: until), cancellationToken);
    }

    /// <summary>The actor name of what the moderation worker does on its own.</summary>
    public const string AutomaticActor = "moderation";

    /// <summary>The mute in force for the member at <paramref name="now"/>, if any.</summary>
    public static async Task<DateTimeOffset?> MutedUntilAsync(
        ChatDbContext db, Guid roomId, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Compared here: SQLite, the embedded default, cannot compare DateTimeOffset columns.
        var until = await db.RoomMutes.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .Select(m => (DateTimeOffset?)m.Until)
            .SingleOrDefaultAsync(cancellationToken);
        return until > now ? until : null;
    }
}
