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
        // One batch is stored at a time while the next one gathers, so batches follow the queue's order and one
        // commit covers many messages.
        Endpoint(e =>
        {
            e.Name = QueueNames.Persistence;
            e.PrefetchCount = 2 * BatchSize;
            e.ConcurrentMessageLimit = 2 * BatchSize;
        });
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PersistenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageApproved>(endpointConfigurator);
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(5))
            .SetConcurrencyLimit(1));

        // Retries happen in place, so a failing batch holds back the messages behind it rather than fall behind them.
        EndpointConventions.RetryBriefly(consumerConfigurator);
    }
}
