namespace EventChat.Contracts;

/// <summary>
/// A client asked to change a stored message: <see cref="MessageChanges.Edit"/> (with <see cref="Text"/>),
/// <see cref="MessageChanges.Delete"/>, or <see cref="MessageChanges.React"/> and
/// <see cref="MessageChanges.Unreact"/> (with <see cref="Emoji"/>). It takes the same path as a new message, so
/// moderation sees edited text before anyone else does.
/// </summary>
public sealed record MessageChangeRequested(
    Guid ChangeId,
    Guid RoomId,
    Guid MessageId,
    string Change,
    Guid ActorId,
    string ActorName,
    string? Text,
    string? Emoji,
    DateTimeOffset RequestedAt);
