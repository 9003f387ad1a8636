using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Api.Delivery;

/// <summary>
/// All three delivery consumers share the edges' one queue. It has a single active consumer: one edge delivers
/// at a time, and another takes over when it goes away, so each room's events go out in sequence order.
/// </summary>
public sealed class RoomEventDeliveryDefinition : ConsumerDefinition<RoomEventDelivery>
{
    public RoomEventDeliveryDefinition()
    {
        // One message at a time, in queue order: concurrent dispatch would let a room's later event overtake an
        // earlier one, and each room's order is the product's promise. Throughput comes from the prefetch.
        EndpointName = QueueNames.EdgeDelivery;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RoomEventDelivery> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<RoomEvent>(endpointConfigurator, singleActiveConsumer: true);

        // Retries happen in place, so a failing message holds back the ones behind it rather than fall behind them.
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
