using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Infrastructure.Moderation;

/// <summary>
/// Records a moderation action in the append-only log and, through the outbox, as
/// <see cref="ModerationActionTaken"/>, in the transaction of the action itself.
/// </summary>
public static class ModerationLog
{
    public static void Record(ChatDbContext db, ModerationActionTaken action)
    {
        db.ModerationActions.Add(new ModerationAction
        {
            ActionId = action.ActionId,
            RoomId = action.RoomId,
            Action = action.Action,
            ActorId = action.ActorId,
            ActorName = action.ActorName,
            UserId = action.UserId,
            MessageId = action.MessageId,
            ReportId = action.ReportId,
            Reason = action.Reason,
            Until = action.Until,
            OccurredAt = action.OccurredAt,
        });
        OutboxLog.Add(db, action, action.ActionId, action.RoomId);
    }
}
