using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Stores approved messages, each as its room's next sequence number. The rooms' counters, the
/// message rows, the inbox entries and the <see cref="MessagePosted"/> outbox rows commit in one transaction, so
/// every message is stored once with a gap-free number, or not at all, whatever dies when.
/// </summary>
public sealed class MessageStore(ChatDbContext db, OutboxSignal outboxSignal, TimeProvider clock)
{
    public const string InboxName = "persistence";

    /// <summary>Stores the batch in send order; returns the messages whose room does not exist, which are not stored.</summary>
    public async Task<IReadOnlyList<MessageApproved>> StoreAsync(
        IReadOnlyCollection<MessageApproved> approved, CancellationToken cancellationToken)
    {
        // Send time orders one sender's messages, which the sender sent one after another.
        var batch = approved.DistinctBy(m => m.MessageId).OrderBy(m => m.SentAt).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = batch.Select(m => m.MessageId).ToList();
        var stored = await db.Inbox
            .Where(i => i.Consumer == InboxName && ids.Contains(i.MessageId))
            .Select(i => i.MessageId)
            .ToListAsync(cancellationToken);
        var fresh = batch.Where(m => !stored.Contains(m.MessageId)).ToList();
        var roomIds = fresh.Select(m => m.RoomId).Distinct().ToList();
        var rooms = await db.Rooms
            .Where(r => roomIds.Contains(r.Id))
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);

        var postedAt = clock.GetUtcNow();
        foreach (var room in fresh.Where(m => rooms.Contains(m.RoomId)).GroupBy(m => m.RoomId))
        {
            var messages = room.ToList();
            var seq = await ReserveAsync(room.Key, messages.Count, cancellationToken) - messages.Count;
            foreach (var message in messages)
            {
                Add(message, ++seq, postedAt);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        outboxSignal.Notify();
        return fresh.Where(m => !rooms.Contains(m.RoomId)).ToList();
    }

    /// <summary>
    /// Takes <paramref name="count"/> numbers from the room's counter and returns the last of them. On PostgreSQL
    /// the update holds the room's row lock until commit, so concurrent writers to one room queue up behind it.
    /// </summary>
    private async Task<long> ReserveAsync(Guid roomId, int count, CancellationToken cancellationToken)
    {
        await db.Rooms
            .Where(r => r.Id == roomId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, r => r.LastSeq + count), cancellationToken);
        return await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync(cancellationToken);
    }

    /// <summary>Adds the message, its inbox entry and its outbox event; outbox ids follow the order of the calls.</summary>
    private void Add(MessageApproved message, long seq, DateTimeOffset postedAt)
    {
        db.Inbox.Add(new InboxMessage { Consumer = InboxName, MessageId = message.MessageId, ProcessedAt = postedAt });
        db.Messages.Add(new StoredMessage
        {
            RoomId = message.RoomId,
            Seq = seq,
            MessageId = message.MessageId,
            ClientMessageId = message.ClientMessageId,
            SenderId = message.SenderId,
            SenderName = message.SenderName,
            Text = message.Text,
            SentAt = message.SentAt,
            PostedAt = postedAt,
        });
        OutboxLog.Add(db, new MessagePosted(message.MessageId, message.RoomId, seq, message.ClientMessageId,
            message.SenderId, message.SenderName, message.Text, message.SentAt, postedAt), message.MessageId,
            message.RoomId);
    }
}
