using EventChat.Api.Chat;
using EventChat.Contracts;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Delivery;

/// <summary>Tells the sender, on every device, that a message or a change to one was refused after it was accepted.</summary>
public sealed class MessageRejectedDelivery(IHubContext<ChatHub, IChatClient> hub) : IConsumer<MessageRejected>
{
    public Task Consume(ConsumeContext<MessageRejected> context)
    {
        var m = context.Message;
        return hub.Clients.User(m.SenderId.ToString("D"))
            .MessageRejected(new RejectionView(m.RoomId, m.ClientMessageId, m.MessageId, m.Reason, m.Request));
    }
}
