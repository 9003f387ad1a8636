using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using InboxLog = EventChat.Infrastructure.Inbox.Inbox;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Stores an approved message as its room's next sequence number. The room's counter, the message row, the
/// inbox entry and the <see cref="MessagePosted"/> outbox row commit in one transaction, so a message is stored
/// once with a gap-free number, or not at all, whatever dies when.
/// </summary>
public sealed class MessageStore(ChatDbContext db, OutboxSignal outboxSignal, TimeProvider clock)
{
    public const string InboxName = "persistence";

    /// <summary>Returns false, storing nothing, when the message's room does not exist.</summary>
    public async Task<bool> StoreAsync(MessageApproved message, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await InboxLog.TryRecordAsync(db, InboxName, message.MessageId, cancellationToken))
        {
            return true;
        }

        var seq = await NextSeqAsync(message.RoomId, cancellationToken);
        if (seq is null)
        {
            return false;
        }

        var postedAt = clock.GetUtcNow();
        db.Messages.Add(new StoredMessage
        {
            RoomId = message.RoomId,
            Seq = seq.Value,
            MessageId = message.MessageId,
            ClientMessageId = message.ClientMessageId,
            SenderId = message.SenderId,
            SenderName = message.SenderName,
            Text = message.Text,
            SentAt = message.SentAt,
            PostedAt = postedAt,
        });
        OutboxLog.Add(db, new MessagePosted(message.MessageId, message.RoomId, seq.Value, message.ClientMessageId,
            message.SenderId, message.SenderName, message.Text, message.SentAt, postedAt), message.MessageId,
            message.RoomId);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        return true;
    }

    /// <summary>
    /// Increments the room's counter. On PostgreSQL the update holds the room's row lock until commit, so
    /// concurrent writers to one room queue up behind it and no two messages share a number.
    /// </summary>
    private async Task<long?> NextSeqAsync(Guid roomId, CancellationToken cancellationToken)
    {
        var updated = await db.Rooms
            .Where(r => r.Id == roomId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), cancellationToken);
        return updated == 0
            ? null
            : await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync(cancellationToken);
    }
}
