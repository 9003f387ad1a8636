using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Moderation;

public sealed class ModerationConsumerDefinition : ConsumerDefinition<ModerationConsumer>
{
    public ModerationConsumerDefinition()
    {
        // One message at a time, in queue order: concurrent dispatch lets a later message overtake an earlier one,
        // even behind a partitioner, and a sender's messages must reach persistence in the order they were sent.
        EndpointName = QueueNames.Moderation;
        ConcurrentMessageLimit = 1;

        // TODO(#4): one broker confirm per decision caps this stage near 200 messages a second on the 2-core
        // machines; overlapping confirms without losing order needs a sequencer in front of the publish.
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModerationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageSent>(endpointConfigurator);
        EndpointConventions.AlsoBind<MessageChangeRequested>(endpointConfigurator);

        // Retries happen in place, so a failing message holds back the ones behind it rather than fall behind them.
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
