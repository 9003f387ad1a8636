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
/// Turns each posted message into notifications: for members it names (<c>@name</c>), for the author of the
/// message it answers, and, in direct and group rooms, for every other member who is offline. Members who muted
/// the room and the sender get none. Notifications are stored, and those of users who are online are pushed
/// through the edges. Every other stream event passes through untouched.
/// </summary>
public sealed partial class NotificationConsumer(
    ChatDbContext db,
    RoomKinds roomKinds,
    IPresenceStore presence,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<NotificationConsumer> logger) : IConsumer<RoomEvent>
{
    public const string InboxName = "notifications.messages";

    public async Task Consume(ConsumeContext<RoomEvent> context)
    {
        var posted = context.Message;
        if (posted.Type != RoomEventTypes.MessagePosted || posted.MessageId is not { } messageId)
        {
            return;
        }

        var cancellationToken = context.CancellationToken;
        var recipients = await FindRecipientsAsync(posted, cancellationToken);
        if (recipients.Count == 0)
        {
            Log.NoneNeeded(logger, messageId);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await InboxLog.TryRecordAsync(db, InboxName, messageId, cancellationToken))
        {
            Log.AlreadyHandled(logger, messageId);
            return;
        }

        var now = clock.GetUtcNow();
        var pushed = 0;
        foreach (var recipient in recipients)
        {
            var notification = new Notification
            {
                Id = Guid.CreateVersion7(),
                UserId = recipient.UserId,
                RoomId = posted.RoomId,
                MessageId = messageId,
                Seq = posted.Seq,
                Kind = recipient.Kind,
                SenderId = posted.ActorId,
                SenderName = posted.ActorName,
                CreatedAt = now,
            };
            db.Notifications.Add(notification);
            if (recipient.Online)
            {
                OutboxLog.Add(db, new NotificationCreated(notification.Id, recipient.UserId, posted.RoomId, messageId,
                    posted.Seq, recipient.Kind, posted.ActorId, posted.ActorName, now), notification.Id, posted.RoomId);
                pushed++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (pushed > 0)
        {
            outboxSignal.Notify();
        }

        Log.Stored(logger, recipients.Count, pushed, messageId);
    }

    /// <summary>
    /// Works out who hears of the message, before any transaction is open, so that the presence look-ups do not
    /// hold one. An empty list means nothing will be written at all, which is the usual case in a channel.
    /// </summary>
    private async Task<List<Recipient>> FindRecipientsAsync(RoomEvent posted, CancellationToken cancellationToken)
    {
        var kind = await roomKinds.KindAsync(db, posted.RoomId, cancellationToken);
        if (kind is null)
        {
            return [];
        }

        var everyone = kind is RoomKind.Direct or RoomKind.Group;
        var names = MentionParser.Parse(posted.Text ?? string.Empty)
            .Select(n => n.ToLowerInvariant())
            .ToList();
        var repliedTo = posted.ReplyToMessageId is { } replyTo
            ? await db.Messages.AsNoTracking()
                .Where(m => m.RoomId == posted.RoomId && m.MessageId == replyTo)
                .Select(m => (Guid?)m.SenderId)
                .SingleOrDefaultAsync(cancellationToken)
            : null;
        if (!everyone && names.Count == 0 && repliedTo is null)
        {
            return [];
        }

        var replyAuthor = repliedTo ?? Guid.Empty;
        var candidates = await (
                from member in db.RoomMembers
                join user in db.Users on member.UserId equals user.Id
                where member.RoomId == posted.RoomId
                      && !member.Muted
                      && member.UserId != posted.ActorId
                      && (everyone || names.Contains(user.NormalizedUserName) || member.UserId == replyAuthor)
                select new { user.Id, user.NormalizedUserName })
            .AsNoTracking()
            .ToListAsync(cancellationToken);

        var recipients = new List<Recipient>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var online = await presence.IsOnlineAsync(candidate.Id, cancellationToken);
            if (names.Contains(candidate.NormalizedUserName))
            {
                recipients.Add(new Recipient(candidate.Id, NotificationKinds.Mention, online));
            }
            else if (candidate.Id == repliedTo)
            {
                recipients.Add(new Recipient(candidate.Id, NotificationKinds.Reply, online));
            }
            else if (everyone && !online)
            {
                recipients.Add(new Recipient(candidate.Id, NotificationKinds.Direct, online));
            }
        }

        return recipients;
    }

    private sealed record Recipient(Guid UserId, string Kind, bool Online);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, EventName = "NotificationsStored", Level = LogLevel.Debug,
            Message = "Stored {Count} notifications for message {MessageId}, {Pushed} of them to push")]
        public static partial void Stored(ILogger logger, int count, int pushed, Guid messageId);

        [LoggerMessage(EventId = 4002, EventName = "NotificationsNotNeeded", Level = LogLevel.Trace,
            Message = "Message {MessageId} notifies nobody")]
        public static partial void NoneNeeded(ILogger logger, Guid messageId);

        [LoggerMessage(EventId = 4003, EventName = "NotificationsAlreadyStored", Level = LogLevel.Debug,
            Message = "Notifications for message {MessageId} were already stored; the redelivery changes nothing")]
        public static partial void AlreadyHandled(ILogger logger, Guid messageId);
    }
}
