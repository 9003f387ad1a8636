using EventChat.Infrastructure.Data.Entities;

namespace EventChat.Api.Chat;

/// <summary>
/// A message in its current state, as history shows it: edited text, a tombstone (<see cref="Deleted"/>, no text,
/// no reactions) for a deleted one, and reaction counts.
/// </summary>
public sealed record MessageView(
    Guid RoomId,
    long Seq,
    Guid MessageId,
    string ClientMessageId,
    Guid SenderId,
    string SenderName,
    string? Text,
    Guid? ReplyToMessageId,
    DateTimeOffset SentAt,
    DateTimeOffset PostedAt,
    DateTimeOffset? EditedAt,
    bool Deleted,
    IReadOnlyList<ReactionCount> Reactions)
{
    public static MessageView From(StoredMessage m, IReadOnlyList<ReactionCount> reactions) =>
        new(m.RoomId, m.Seq, m.MessageId, m.ClientMessageId, m.SenderId, m.SenderName,
            m.DeletedAt is null ? m.Text : null, m.ReplyToMessageId, m.SentAt, m.PostedAt, m.EditedAt,
            m.DeletedAt is not null, m.DeletedAt is null ? reactions : []);
}

public sealed record ReactionCount(string Emoji, int Count);
