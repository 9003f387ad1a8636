using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Api.Delivery;

public sealed class MessageRejectedDeliveryDefinition : ConsumerDefinition<MessageRejectedDelivery>
{
    public MessageRejectedDeliveryDefinition()
    {
        EndpointName = QueueNames.EdgeDelivery;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<MessageRejectedDelivery> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageRejected>(endpointConfigurator, singleActiveConsumer: true);
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
