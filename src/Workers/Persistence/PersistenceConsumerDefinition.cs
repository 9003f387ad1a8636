using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Persistence;

public sealed class PersistenceConsumerDefinition : ConsumerDefinition<PersistenceConsumer>
{
    public PersistenceConsumerDefinition()
    {
        // Enough messages in flight for the batcher to fill a transaction while the previous one commits.
        Endpoint(e =>
        {
            e.Name = QueueNames.Persistence;
            e.PrefetchCount = 2 * PersistenceBatcher.BatchSize;
            e.ConcurrentMessageLimit = 2 * PersistenceBatcher.BatchSize;
        });
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PersistenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageApproved>(endpointConfigurator);
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
