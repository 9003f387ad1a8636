using EventChat.Contracts;
using MassTransit;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Hands each approved message to the <see cref="PersistenceBatcher"/> and acknowledges it only once its
/// transaction has committed. A message whose room does not exist faults, and after its retries lands in the
/// error queue for an operator.
/// </summary>
public sealed class PersistenceConsumer(PersistenceBatcher batcher) : IConsumer<MessageApproved>
{
    public Task Consume(ConsumeContext<MessageApproved> context) =>
        batcher.StoreAsync(context.Message, context.CancellationToken);
}
