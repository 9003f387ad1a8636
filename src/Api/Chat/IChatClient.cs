using EventChat.Api.Presence;
using EventChat.Contracts;

namespace EventChat.Api.Chat;

/// <summary>The methods the server calls on connected clients.</summary>
public interface IChatClient
{
    /// <summary>The next event of a room this connection follows, in sequence order.</summary>
    Task RoomEvent(RoomEvent roomEvent);

    Task MessageRejected(RejectionView rejection);

    Task NotificationReceived(NotificationView notification);

    Task ReadReceipt(ReadReceiptView receipt);

    Task UserTyping(TypingView typing);

    Task PresenceChanged(PresenceView presence);
}
