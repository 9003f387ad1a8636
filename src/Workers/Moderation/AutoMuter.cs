using System.IO.Hashing;
using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Streams;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Mutes a member who collected too many strikes, as an admin's mute would: the mute row, <c>member.muted</c> in
/// the room's stream and the moderation log commit together, and every edge hears of it at once.
/// </summary>
public sealed partial class AutoMuter(
    ChatDbContext db,
    OutboxSignal outboxSignal,
    MembershipNotices notices,
    TimeProvider clock,
    ILogger<AutoMuter> logger)
{
    /// <param name="strikeWindow">The strike window the mute is for: one mute per member, room and window, however
    /// often a batch is retried.</param>
    public async Task MuteAsync(
        Guid roomId, Guid userId, long strikeWindow, TimeSpan duration, string reason,
        CancellationToken cancellationToken)
    {
        var now = RoomStream.Now(clock);
        var until = now + duration;
        var actionId = ActionId(roomId, userId, strikeWindow);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await RoomStream.LockAsync(db, roomId, cancellationToken);
            if (await db.ModerationActions.AnyAsync(a => a.ActionId == actionId, cancellationToken))
            {
                return;
            }

            var name = await db.RoomMembers
                .Where(m => m.RoomId == roomId && m.UserId == userId)
                .Join(db.Users, m => m.UserId, u => u.Id, (_, u) => u.UserName)
                .SingleOrDefaultAsync(cancellationToken);
            if (name is null)
            {
                // No longer a member: nothing to mute.
                return;
            }

            var action = new ModerationActionTaken(actionId, roomId, ModerationActions.Mute, null,
                RoomSanctions.AutomaticActor, userId, null, null, reason, until, now);
            if (await RoomSanctions.MuteAsync(db, action, name, cancellationToken) is null)
            {
                return;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        outboxSignal.Notify();
        await notices.PublishAsync(roomId, userId);
        Log.Muted(logger, userId, roomId, until);
    }

    private static Guid ActionId(Guid roomId, Guid userId, long strikeWindow)
    {
        Span<byte> input = stackalloc byte[40];
        roomId.TryWriteBytes(input);
        userId.TryWriteBytes(input[16..]);
        BitConverter.TryWriteBytes(input[32..], strikeWindow);
        return new Guid(XxHash128.Hash(input));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2004, EventName = "MemberMutedForStrikes", Level = LogLevel.Information,
            Message = "Muted user {UserId} in room {RoomId} until {Until} for repeated refused messages")]
        public static partial void Muted(ILogger logger, Guid userId, Guid roomId, DateTimeOffset until);
    }
}
