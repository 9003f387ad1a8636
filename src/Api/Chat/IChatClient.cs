using EventChat.Api.Presence;
using EventChat.Contracts;

namespace EventChat.Api.Chat;

/// <summary>The methods the server calls on connected clients.</summary>
public interface IChatClient
{
    /// <summary>
    /// The next event of a room this connection follows, in sequence order, when it is a new message
    /// (<c>message.posted</c>). New messages are most of a room's stream; they keep the name the hub has pushed them
    /// under from its first version, so clients and load tools written against that still work.
    /// </summary>
    Task MessageReceived(RoomEvent roomEvent);

    /// <summary>The next event of a room this connection follows, in sequence order, of any other type.</summary>
    Task RoomEvent(RoomEvent roomEvent);

    Task MessageRejected(RejectionView rejection);

    Task NotificationReceived(NotificationView notification);

    Task ReadReceipt(ReadReceiptView receipt);

    Task UserTyping(TypingView typing);

    Task PresenceChanged(PresenceView presence);
}
