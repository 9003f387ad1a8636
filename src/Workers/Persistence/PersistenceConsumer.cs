using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Hands each approved message, and each approved change, to the <see cref="MessageStore"/>, in batches in queue
/// order; a delivery is acknowledged once its batch has committed. A message whose room does not exist faults on
/// its own, and after its retries lands in the error queue for an operator.
/// </summary>
public sealed class PersistenceConsumer([FromKeyedServices(QueueNames.Persistence)] OrderedBatcher<object> batcher)
    : IConsumer<MessageApproved>, IConsumer<MessageChangeApproved>
{
    public Task Consume(ConsumeContext<MessageApproved> context) => batcher.SubmitAsync(context, context.Message);

    public Task Consume(ConsumeContext<MessageChangeApproved> context) =>
        batcher.SubmitAsync(context, context.Message);
}
