using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Moderation;

public sealed class ModerationConsumerDefinition : ConsumerDefinition<ModerationConsumer>
{
    public ModerationConsumerDefinition()
    {
        EndpointName = QueueNames.Moderation;
    }

    /// <summary>The most deliveries one batch of decisions takes.</summary>
    public const int BatchSize = 256;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModerationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageSent>(endpointConfigurator);
        EndpointConventions.AlsoBind<MessageChangeRequested>(endpointConfigurator);

        // Deliveries are taken many at a time and put back in queue order by the batcher, because a sender's
        // messages must reach persistence in the order they were sent. While Redis is down the batcher retries in
        // place and holds everything behind; an item that fails on its own retries here, without the others.
        EndpointConventions.TakeInBatches<object>(endpointConfigurator, context, QueueNames.Moderation);
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
