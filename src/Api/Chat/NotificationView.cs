using EventChat.Infrastructure.Data.Entities;

namespace EventChat.Api.Chat;

/// <summary>A notification as clients see it, pushed (<c>NotificationReceived</c>) and listed alike.</summary>
public sealed record NotificationView(
    Guid NotificationId,
    string Kind,
    Guid RoomId,
    Guid MessageId,
    long Seq,
    Guid SenderId,
    string SenderName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    public static NotificationView From(Notification n) =>
        new(n.Id, n.Kind, n.RoomId, n.MessageId, n.Seq, n.SenderId, n.SenderName, n.CreatedAt, n.ReadAt);
}
