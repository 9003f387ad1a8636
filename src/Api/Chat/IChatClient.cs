namespace EventChat.Api.Chat;

/// <summary>The methods the server calls on connected clients.</summary>
public interface IChatClient
{
    Task MessageReceived(MessageView message);

    Task MessageRejected(RejectionView rejection);

    Task NotificationReceived(NotificationView notification);
}
