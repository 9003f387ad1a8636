using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Api.Delivery;

/// <summary>
/// The edges share one queue with a single active consumer: one edge delivers at a time, and another takes over
/// when it goes away, so each room's events go out in sequence order.
/// </summary>
public sealed class EdgeDeliveryConsumerDefinition : ConsumerDefinition<EdgeDeliveryConsumer>
{
    public EdgeDeliveryConsumerDefinition() => EndpointName = QueueNames.EdgeDelivery;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EdgeDeliveryConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<RoomEvent>(endpointConfigurator, singleActiveConsumer: true);
        EndpointConventions.AlsoBind<MessageRejected>(endpointConfigurator);
        EndpointConventions.AlsoBind<NotificationCreated>(endpointConfigurator);

        // Deliveries are taken many at a time and put back in queue order by the batcher, because each room's
        // events must go out in sequence order.
        EndpointConventions.TakeInBatches<Delivery>(endpointConfigurator, context, QueueNames.EdgeDelivery);
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
