using MassTransit;
using MassTransit.RabbitMqTransport;

namespace EventChat.Infrastructure.Messaging;

/// <summary>
/// Tells an <see cref="OrderedBatcher{T}"/> about every delivery of its endpoint once it has been through the
/// receive pipeline, so a delivery that never reached the consumer (one that could not be read, or of a type the
/// consumer does not take) does not hold the batcher's run back.
/// </summary>
internal sealed class BatchGapFilter<T>(OrderedBatcher<T> batcher) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        try
        {
            await next.Send(context);
        }
        finally
        {
            if (context is RabbitMqReceiveContext rabbit)
            {
                batcher.Passed(rabbit.ConsumerTag, rabbit.DeliveryTag);
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("orderedBatchGaps");
}
