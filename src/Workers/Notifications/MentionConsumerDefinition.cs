using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Notifications;

public sealed class MentionConsumerDefinition : ConsumerDefinition<MentionConsumer>
{
    public MentionConsumerDefinition()
    {
        EndpointName = QueueNames.Notifications;
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<MentionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessagePosted>(endpointConfigurator);
        EndpointConventions.RetryBriefly(consumerConfigurator);
        EndpointConventions.RetryWhileDatabaseIsDown(consumerConfigurator);
    }
}
