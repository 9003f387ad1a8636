using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Messaging;
using EventChat.Infrastructure.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Stores approved messages, a batch at a time, each as its room's next sequence number. The rooms' counters,
/// the message rows, the inbox entries and the <see cref="MessagePosted"/> outbox rows commit in one transaction,
/// so every message is stored once with a gap-free number, or not at all, whatever dies when.
/// </summary>
public sealed partial class PersistenceConsumer(
    ChatDbContext db,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<PersistenceConsumer> logger) : IConsumer<Batch<MessageApproved>>
{
    public const string InboxName = "persistence";
    private static readonly Uri ErrorQueue = new($"queue:{QueueNames.Persistence}_error");

    public async Task Consume(ConsumeContext<Batch<MessageApproved>> context)
    {
        var cancellationToken = context.CancellationToken;

        // Send time orders one sender's messages, which the sender sent one after another.
        var batch = context.Message
            .Select(c => c.Message)
            .DistinctBy(m => m.MessageId)
            .OrderBy(m => m.SentAt)
            .ToList();

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
                Store(message, ++seq, postedAt);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        Log.Stored(logger, fresh.Count, batch.Count - fresh.Count);

        // The edge checked membership, so a missing room is a fault for an operator to see in the error queue.
        foreach (var orphan in fresh.Where(m => !rooms.Contains(m.RoomId)))
        {
            Log.UnknownRoom(logger, orphan.MessageId, orphan.RoomId);
            var errors = await context.GetSendEndpoint(ErrorQueue);
            await errors.Send(orphan, cancellationToken);
        }
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
    private void Store(MessageApproved message, long seq, DateTimeOffset postedAt)
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, EventName = "MessagesStored", Level = LogLevel.Trace,
            Message = "Stored {Count} messages; {Duplicates} were stored before")]
        public static partial void Stored(ILogger logger, int count, int duplicates);

        [LoggerMessage(EventId = 3003, EventName = "UnknownRoom", Level = LogLevel.Warning,
            Message = "Message {MessageId} names room {RoomId}, which does not exist; it goes to the error queue")]
        public static partial void UnknownRoom(ILogger logger, Guid messageId, Guid roomId);
    }
}
