using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventChat.Infrastructure.Messaging;

public static class MessagingServiceExtensions
{
    /// <summary>
    /// Registers MassTransit on RabbitMQ when <c>ConnectionStrings:RabbitMq</c> is set, or on the in-memory
    /// transport otherwise. The consumers, their queues and their pipelines are the same on both.
    /// </summary>
    public static IServiceCollection AddChatMessaging(
        this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator> addConsumers)
    {
        var options = new MessagingOptions { RabbitMqConnectionString = configuration.GetConnectionString("RabbitMq") };
        configuration.GetSection("Messaging").Bind(options);
        services.AddSingleton(options);

        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(x =>
        {
            // The bus would otherwise report usage to the library vendor's host: a chat back end calls no one home.
            x.DisableUsageTelemetry();
            addConsumers(x);
            if (options.UseRabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    ConfigureHost(cfg, new Uri(options.RabbitMqConnectionString!));
                    cfg.PrefetchCount = options.PrefetchCount;
                    Topology.Apply(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    Topology.Apply(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, Uri uri)
    {
        var credentials = uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var port = uri.IsDefaultPort || uri.Port <= 0 ? 5672 : uri.Port;
        cfg.Host(uri.Host, (ushort)port, string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost, h =>
        {
            if (credentials.Length == 2)
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            }

            h.PublisherConfirmation = true;
            h.Heartbeat(TimeSpan.FromSeconds(10));
        });
    }

    /// <summary>
    /// Registers the <see cref="OrderedBatcher{T}"/> of <paramref name="queue"/>, keyed by the queue's name, for
    /// its consumer to take with <c>[FromKeyedServices]</c>; its endpoint calls
    /// <see cref="EndpointConventions.TakeInBatches{T}"/> with the same name.
    /// </summary>
    public static IServiceCollection AddOrderedBatcher<T>(
        this IServiceCollection services,
        string queue,
        int batchSize,
        Func<Exception, bool> isTransient,
        Func<IServiceProvider, IReadOnlyList<T>, CancellationToken, Task> handle) =>
        services.AddKeyedSingleton(queue, (provider, _) => new OrderedBatcher<T>(
            provider.GetRequiredService<IServiceScopeFactory>(),
            handle,
            isTransient,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger($"EventChat.Batches.{queue}"))
        {
            MaxBatchSize = batchSize,
        });
}
