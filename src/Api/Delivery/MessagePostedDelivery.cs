using EventChat.Api.Chat;
using EventChat.Api.History;
using EventChat.Contracts;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.Api.Delivery;

/// <summary>
/// Sends a stored message to its room. The recent-message cache is written first, so a client that sees the
/// message live finds it in history too; the Redis backplane carries the send to every edge.
/// </summary>
public sealed partial class MessagePostedDelivery(
    IRecentMessages recent,
    IHubContext<ChatHub, IChatClient> hub,
    ILogger<MessagePostedDelivery> logger) : IConsumer<MessagePosted>
{
    public async Task Consume(ConsumeContext<MessagePosted> context)
    {
        var message = MessageView.From(context.Message);
        var fresh = await recent.AppendAsync(message, context.CancellationToken);

        // A number already in the cache was delivered before, unless that attempt failed after writing the
        // cache: then the broker redelivers, or the retry filter tries again, and it must go out.
        if (!fresh && !context.ReceiveContext.Redelivered && context.GetRetryAttempt() == 0)
        {
            Log.Duplicate(logger, message.RoomId, message.Seq);
            return;
        }

        await hub.Clients.Group(ChatHub.GroupName(message.RoomId)).MessageReceived(message);
        Log.Delivered(logger, message.RoomId, message.Seq);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, EventName = "MessageDelivered", Level = LogLevel.Trace,
            Message = "Delivered {RoomId}#{Seq}")]
        public static partial void Delivered(ILogger logger, Guid roomId, long seq);

        [LoggerMessage(EventId = 6002, EventName = "DuplicateDelivery", Level = LogLevel.Debug,
            Message = "Skipped {RoomId}#{Seq}: already delivered")]
        public static partial void Duplicate(ILogger logger, Guid roomId, long seq);
    }
}
