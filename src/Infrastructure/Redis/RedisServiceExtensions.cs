using EventChat.Infrastructure.Moderation;
using EventChat.Infrastructure.Presence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace EventChat.Infrastructure.Redis;

public static class RedisServiceExtensions
{
    /// <summary>
    /// Registers the hot state: presence, rate counters and membership notices in Redis when <c>ConnectionStrings:Redis</c> is set,
    /// in this process's memory otherwise (the embedded default, where there is only one process).
    /// </summary>
    public static IServiceCollection AddHotState(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new RedisOptions { ConnectionString = configuration.GetConnectionString("Redis") };
        configuration.GetSection("Redis").Bind(options);
        services.AddSingleton(options);

        var presence = new PresenceOptions();
        configuration.GetSection("Presence").Bind(presence);
        presence.EdgeName = configuration["Edge:Id"] ?? presence.EdgeName;
        services.AddSingleton(presence);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MembershipNotices>();

        if (options.UseRedis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => Connect(options.ConnectionString!));
            services.AddSingleton<IPresenceStore, RedisPresenceStore>();
            services.AddSingleton<IRateCounter, RedisRateCounter>();
            services.AddSingleton<IDecisionMemory, RedisDecisionMemory>();
        }
        else
        {
            services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
            services.AddSingleton<IRateCounter, InMemoryRateCounter>();
            services.AddSingleton<IDecisionMemory, InMemoryDecisionMemory>();
        }

        return services;
    }

    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        try
        {
            return ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"Cannot reach Redis at {connectionString}: {ex.Message}", ex);
        }
    }
}
