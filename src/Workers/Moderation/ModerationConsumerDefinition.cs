using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Moderation;

public sealed class ModerationConsumerDefinition : ConsumerDefinition<ModerationConsumer>
{
    public ModerationConsumerDefinition()
    {
        EndpointName = QueueNames.Moderation;

        // Most of a decision is spent waiting for the broker to confirm the verdict, so many are in flight at once.
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModerationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageSent>(endpointConfigurator);

        // One sender's messages are decided one after another: their flood count and their verdicts stay in the
        // order they were sent. Persistence orders each batch by send time as well.
        consumerConfigurator.Message<MessageSent>(m => m.UsePartitioner(32, c => c.Message.SenderId));

        // Retries happen inside the partition, so a failing message holds back its sender's later ones.
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
