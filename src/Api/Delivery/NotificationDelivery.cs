using EventChat.Api.Chat;
using EventChat.Contracts;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Delivery;

/// <summary>Pushes a stored notification to every device of its user.</summary>
public sealed class NotificationDelivery(IHubContext<ChatHub, IChatClient> hub) : IConsumer<NotificationCreated>
{
    public Task Consume(ConsumeContext<NotificationCreated> context)
    {
        var n = context.Message;
        return hub.Clients.User(n.UserId.ToString("D")).NotificationReceived(
            new NotificationView(n.NotificationId, n.Kind, n.RoomId, n.MessageId, n.Seq, n.SenderId, n.SenderName,
                n.CreatedAt, null));
    }
}
