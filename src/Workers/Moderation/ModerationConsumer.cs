using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Hands every sent message, and every change to one, to the <see cref="Moderator"/>, in batches in queue order;
/// a delivery is acknowledged once its verdict is published.
/// </summary>
public sealed class ModerationConsumer([FromKeyedServices(QueueNames.Moderation)] OrderedBatcher<object> batcher)
    : IConsumer<MessageSent>, IConsumer<MessageChangeRequested>
{
    public Task Consume(ConsumeContext<MessageSent> context) => batcher.SubmitAsync(context, context.Message);

    public Task Consume(ConsumeContext<MessageChangeRequested> context) =>
        batcher.SubmitAsync(context, context.Message);
}
