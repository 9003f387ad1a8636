using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Api.Delivery;

public sealed class NotificationDeliveryDefinition : ConsumerDefinition<NotificationDelivery>
{
    public NotificationDeliveryDefinition()
    {
        EndpointName = QueueNames.EdgeDelivery;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<NotificationDelivery> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<NotificationCreated>(endpointConfigurator, singleActiveConsumer: true);
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
