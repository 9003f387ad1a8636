using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Persistence;

public sealed class PersistenceConsumerDefinition : ConsumerDefinition<PersistenceConsumer>
{
    /// <summary>The most messages one transaction stores.</summary>
    public const int BatchSize = 100;

    public PersistenceConsumerDefinition()
    {
        EndpointName = QueueNames.Persistence;

        // A batch takes every message in flight, and the next batch starts only when this one is acknowledged,
        // so batches follow the queue's order and one commit covers many messages.
        ConcurrentMessageLimit = BatchSize;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PersistenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageApproved>(endpointConfigurator);
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(2))
            .SetConcurrencyLimit(1));

        // Retries happen in place, so a failing batch holds back the messages behind it rather than fall behind them.
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
