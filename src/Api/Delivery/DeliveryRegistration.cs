using EventChat.Infrastructure.Messaging;
using MassTransit;

namespace EventChat.Api.Delivery;

public static class DeliveryRegistration
{
    /// <summary>The most deliveries one batch takes.</summary>
    public const int BatchSize = 256;

    /// <summary>
    /// Nothing is retried in place: a failed batch is handled again item by item, and an item that fails alone
    /// goes to the consumer's retries as a possible repeat, so an event whose cache write went through is sent.
    /// </summary>
    public static IServiceCollection AddEdgeDelivery(this IServiceCollection services)
    {
        services.AddScoped<EdgeDeliverer>();
        return services.AddOrderedBatcher<Delivery>(QueueNames.EdgeDelivery, BatchSize, _ => false,
            (scope, batch, ct) => scope.GetRequiredService<EdgeDeliverer>().DeliverAsync(batch, ct));
    }

    public static void AddEdgeDelivery(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<EdgeDeliveryConsumer, EdgeDeliveryConsumerDefinition>();
}
