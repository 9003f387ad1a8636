namespace EventChat.IntegrationTests.Support;

/// <summary>A message as <c>GET /api/rooms/{roomId}/messages</c> returns it: its current state.</summary>
public sealed record Message(
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
    IReadOnlyList<Reaction> Reactions)
{
    /// <summary>The fields the posting event carried; an edited message keeps its first text only in the event.</summary>
    public PostedMessage AsPosted() =>
        new(RoomId, Seq, MessageId, ClientMessageId, SenderId, SenderName, Text, ReplyToMessageId, SentAt);

    public MessageState AsState() =>
        new(MessageId, Seq, SenderId, Text, ReplyToMessageId, EditedAt is not null, Deleted,
            MessageState.FormatReactions(Reactions.Select(r => (r.Emoji, r.Count))));
}
