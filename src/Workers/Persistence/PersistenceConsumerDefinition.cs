using EventChat.Contracts;
using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Workers.Persistence;

public sealed class PersistenceConsumerDefinition : ConsumerDefinition<PersistenceConsumer>
{
    public PersistenceConsumerDefinition()
    {
        // One message at a time, in queue order: concurrent dispatch lets a later message overtake an earlier one,
        // and a sender's messages must be numbered in the order they were sent.
        EndpointName = QueueNames.Persistence;
        ConcurrentMessageLimit = 1;

        // TODO(#4): one message per transaction caps this stage near 110-190 messages a second on the 2-core
        // machines; batching that keeps queue order (sequencing by delivery tag) would share each commit.
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PersistenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        EndpointConventions.BindQuorumQueue<MessageApproved>(endpointConfigurator);
        EndpointConventions.AlsoBind<MessageChangeApproved>(endpointConfigurator);

        // Retries happen in place, so a failing message holds back the ones behind it rather than fall behind them.
        EndpointConventions.RetryBriefly(consumerConfigurator);
        EndpointConventions.RetryWhileDatabaseIsDown(consumerConfigurator);
    }
}
