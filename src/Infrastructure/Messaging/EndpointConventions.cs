using EventChat.Infrastructure.Data;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.Infrastructure.Messaging;

/// <summary>How a consumer definition shapes its queue on RabbitMQ; the in-memory transport needs none of it.</summary>
public static class EndpointConventions
{
    /// <summary>A durable quorum queue bound to the topic exchange of <typeparamref name="T"/> for every room.</summary>
    public static void BindQuorumQueue<T>(IReceiveEndpointConfigurator endpoint, bool singleActiveConsumer = false)
        where T : class
    {
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            return;
        }

        rabbit.SetQuorumQueue();
        rabbit.ConfigureConsumeTopology = false;
        if (singleActiveConsumer)
        {
            rabbit.SetQueueArgument("x-single-active-consumer", true);
        }

        rabbit.Bind(Topology.ExchangeFor<T>(), b =>
        {
            b.ExchangeType = "topic";
            b.RoutingKey = Topology.AllRooms;
        });
    }

    /// <summary>Binds the queue to the topic exchange of <typeparamref name="T"/> as well, for every room.</summary>
    /// <remarks>Events bound to one queue keep the order they were published in, whatever their type.</remarks>
    public static void AlsoBind<T>(IReceiveEndpointConfigurator endpoint)
        where T : class
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Bind(Topology.ExchangeFor<T>(), b =>
            {
                b.ExchangeType = "topic";
                b.RoutingKey = Topology.AllRooms;
            });
        }
    }

    /// <summary>
    /// Lets up to four batches of deliveries in at once on RabbitMQ, for a consumer that hands them to the
    /// <see cref="OrderedBatcher{T}"/> registered for <paramref name="queue"/>, which puts them back in queue order:
    /// while one batch is handled, the next ones arrive, so the consumer never waits for the broker between batches.
    /// The in-memory transport has no delivery tags to order by, so there the consumer takes one delivery at a time.
    /// </summary>
    public static void TakeInBatches<T>(IReceiveEndpointConfigurator endpoint, IServiceProvider services, string queue)
    {
        // MassTransit's registration context does not look up keyed services itself; the provider behind it does.
        var batcher = services.GetRequiredService<IServiceProvider>().GetRequiredKeyedService<OrderedBatcher<T>>(queue);
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = 4 * batcher.MaxBatchSize;
            rabbit.ConcurrentMessageLimit = 4 * batcher.MaxBatchSize;
            rabbit.ConfigureReceive(r => r.UseFilter(new BatchGapFilter<T>(batcher)));
            return;
        }

        endpoint.ConcurrentMessageLimit = 1;
    }

    /// <summary>Retries a failing message a few times in place; after that it goes to the error queue.</summary>
    public static void RetryBriefly<TConsumer>(IConsumerConfigurator<TConsumer> consumer)
        where TConsumer : class
    {
        consumer.UseMessageRetry(r => r.Exponential(
            5, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100)));
    }

    /// <summary>
    /// While the database is unreachable, keeps retrying the same message in place for as long as it takes (up to
    /// a day), instead of parking acknowledged messages in the error queue after a few seconds of outage.
    /// </summary>
    public static void RetryWhileDatabaseIsDown<TConsumer>(IConsumerConfigurator<TConsumer> consumer)
        where TConsumer : class
    {
        consumer.UseMessageRetry(r =>
        {
            r.Handle<Exception>(TransientFailures.IsDatabaseUnavailable);
            r.Exponential(3000, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        });
    }
}
