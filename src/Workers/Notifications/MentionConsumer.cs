using EventChat.Contracts;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.Infrastructure.Outbox;
using EventChat.Infrastructure.Presence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using InboxLog = EventChat.Infrastructure.Inbox.Inbox;
using OutboxLog = EventChat.Infrastructure.Outbox.Outbox;

namespace EventChat.Workers.Notifications;

/// <summary>
/// Stores a notification for each room member mentioned as <c>@name</c> in a stored message, and has the
/// edges push it to those who are online.
/// </summary>
public sealed partial class MentionConsumer(
    ChatDbContext db,
    IPresenceStore presence,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<MentionConsumer> logger) : IConsumer<MessagePosted>
{
    public const string InboxName = "notifications.mentions";
    public const string Kind = "mention";

    public async Task Consume(ConsumeContext<MessagePosted> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        var names = MentionParser.Parse(message.Text)
            .Select(n => n.ToLowerInvariant())
            .ToList();
        if (names.Count == 0)
        {
            return;
        }

        var mentioned = await (
                from user in db.Users
                join member in db.RoomMembers on user.Id equals member.UserId
                where member.RoomId == message.RoomId
                      && names.Contains(user.NormalizedUserName)
                      && user.Id != message.SenderId
                select user.Id)
            .ToListAsync(cancellationToken);
        if (mentioned.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await InboxLog.TryRecordAsync(db, InboxName, message.MessageId, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var pushed = false;
        foreach (var userId in mentioned)
        {
            var notification = new Notification
            {
                Id = Guid.CreateVersion7(),
                UserId = userId,
                RoomId = message.RoomId,
                MessageId = message.MessageId,
                Seq = message.Seq,
                Kind = Kind,
                SenderId = message.SenderId,
                SenderName = message.SenderName,
                CreatedAt = now,
            };
            db.Notifications.Add(notification);
            if (await presence.IsOnlineAsync(userId, cancellationToken))
            {
                OutboxLog.Add(db, new NotificationCreated(notification.Id, userId, message.RoomId, message.MessageId,
                    message.Seq, Kind, message.SenderId, message.SenderName, now), notification.Id, message.RoomId);
                pushed = true;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (pushed)
        {
            outboxSignal.Notify();
        }

        Log.Stored(logger, mentioned.Count, message.MessageId);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, EventName = "MentionsStored", Level = LogLevel.Debug,
            Message = "Stored {Count} mention notifications for message {MessageId}")]
        public static partial void Stored(ILogger logger, int count, Guid messageId);
    }
}
