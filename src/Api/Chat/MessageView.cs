using EventChat.Contracts;
using EventChat.Infrastructure.Data.Entities;

namespace EventChat.Api.Chat;

/// <summary>A stored message as clients see it, live (<c>MessageReceived</c>) and in history alike.</summary>
public sealed record MessageView(
    Guid RoomId,
    long Seq,
    Guid MessageId,
    string ClientMessageId,
    Guid SenderId,
    string SenderName,
    string Text,
    DateTimeOffset SentAt)
{
    public static MessageView From(MessagePosted m) =>
        new(m.RoomId, m.Seq, m.MessageId, m.ClientMessageId, m.SenderId, m.SenderName, m.Text, m.SentAt);

    public static MessageView From(StoredMessage m) =>
        new(m.RoomId, m.Seq, m.MessageId, m.ClientMessageId, m.SenderId, m.SenderName, m.Text, m.SentAt);
}
