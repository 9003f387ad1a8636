using EventChat.Contracts;
using MassTransit;

namespace EventChat.Workers.Persistence;

/// <summary>
/// Stores each approved message, and applies each approved change, through the <see cref="MessageStore"/>, and
/// acknowledges it once committed. A message whose room does not exist faults, and after its retries lands in
/// the error queue for an operator.
/// </summary>
public sealed class PersistenceConsumer(MessageStore store) : IConsumer<MessageApproved>, IConsumer<MessageChangeApproved>
{
    public async Task Consume(ConsumeContext<MessageApproved> context)
    {
        var message = context.Message;
        if (!await store.StoreAsync(message, context.CancellationToken))
        {
            throw new InvalidOperationException(
                $"Message {message.MessageId} names room {message.RoomId}, which does not exist.");
        }
    }

    public Task Consume(ConsumeContext<MessageChangeApproved> context) =>
        store.ApplyAsync(context.Message, context.CancellationToken);
}
