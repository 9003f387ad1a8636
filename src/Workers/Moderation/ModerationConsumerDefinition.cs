using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Moderation;

public sealed class ModerationConsumerDefinition : ConsumerDefinition<ModerationConsumer>
{
    public ModerationConsumerDefinition()
    {
        // One message at a time, in queue order: concurrent dispatch would let a room's later message overtake an
        // earlier one, and each room's order is the product's promise. Throughput comes from the prefetch.
        EndpointName = QueueNames.Moderation;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModerationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageSent>(endpointConfigurator);

        // Retries happen in place, so a failing message holds back the ones behind it rather than fall behind them.
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
