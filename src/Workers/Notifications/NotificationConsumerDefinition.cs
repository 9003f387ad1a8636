using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Notifications;

public sealed class NotificationConsumerDefinition : ConsumerDefinition<NotificationConsumer>
{
    public NotificationConsumerDefinition()
    {
        EndpointName = QueueNames.Notifications;
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<NotificationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<RoomEvent>(endpointConfigurator);
        EndpointConventions.RetryBriefly(consumerConfigurator);
        EndpointConventions.RetryWhileDatabaseIsDown(consumerConfigurator);
    }
}
