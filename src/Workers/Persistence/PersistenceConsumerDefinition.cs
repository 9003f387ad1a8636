using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Persistence;

public sealed class PersistenceConsumerDefinition : ConsumerDefinition<PersistenceConsumer>
{
    public PersistenceConsumerDefinition()
    {
        EndpointName = QueueNames.Persistence;
    }

    /// <summary>The most deliveries one batch, and so one transaction, takes.</summary>
    public const int BatchSize = 256;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PersistenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageApproved>(endpointConfigurator);
        EndpointConventions.AlsoBind<MessageChangeApproved>(endpointConfigurator);

        // Deliveries are taken many at a time and put back in queue order by the batcher, because a sender's
        // messages must be numbered in the order they were sent. While the database is down the batcher retries
        // in place and holds everything behind; an item that fails on its own retries here, without the others.
        EndpointConventions.TakeInBatches<object>(endpointConfigurator, context, QueueNames.Persistence);
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
