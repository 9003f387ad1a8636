namespace EventChat.Contracts;

/// <summary>
/// One entry of a room's stream, numbered <see cref="Seq"/>: gap-free and in one total order per room. The same
/// record is stored, published to RabbitMQ, pushed to clients and returned by catch-up. Which optional fields are
/// set depends on <see cref="Type"/>; see <see cref="RoomEventTypes"/>.
/// </summary>
public sealed record RoomEvent(
    Guid RoomId,
    long Seq,
    string Type,
    DateTimeOffset OccurredAt,
    Guid ActorId,
    string ActorName,
    Guid? MessageId = null,
    string? ClientMessageId = null,
    string? Text = null,
    Guid? ReplyToMessageId = null,
    DateTimeOffset? SentAt = null,
    string? Emoji = null,
    int? Count = null,
    Guid? UserId = null,
    string? UserName = null,
    string? Role = null,
    string? RoomName = null,
    DateTimeOffset? Until = null);
