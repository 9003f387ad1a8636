using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Api.Delivery;

/// <summary>Hands what the edges' queue carries to the <see cref="EdgeDeliverer"/>, in batches in queue order.</summary>
public sealed class EdgeDeliveryConsumer([FromKeyedServices(QueueNames.EdgeDelivery)] OrderedBatcher<Delivery> batcher)
    : IConsumer<RoomEvent>, IConsumer<MessageRejected>, IConsumer<NotificationCreated>
{
    public Task Consume(ConsumeContext<RoomEvent> context) => SubmitAsync(context, context.Message);

    public Task Consume(ConsumeContext<MessageRejected> context) => SubmitAsync(context, context.Message);

    public Task Consume(ConsumeContext<NotificationCreated> context) => SubmitAsync(context, context.Message);

    private Task SubmitAsync(ConsumeContext context, object message) =>
        batcher.SubmitAsync(context,
            new Delivery(message, context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0));
}
