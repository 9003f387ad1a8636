namespace EventChat.Contracts;

/// <summary>Moderation let a change through; persistence applies it and numbers the resulting room event.</summary>
public sealed record MessageChangeApproved(
    Guid ChangeId,
    Guid RoomId,
    Guid MessageId,
    string Change,
    Guid ActorId,
    string ActorName,
    string? Text,
    string? Emoji,
    DateTimeOffset RequestedAt);
