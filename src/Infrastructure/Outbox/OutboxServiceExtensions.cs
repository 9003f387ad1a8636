using Microsoft.Extensions.DependencyInjection;

namespace EventChat.Infrastructure.Outbox;

public static class OutboxServiceExtensions
{
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddSingleton<OutboxOptions>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxRelay>();
        return services;
    }
}
