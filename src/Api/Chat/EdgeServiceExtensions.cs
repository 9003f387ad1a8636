using EventChat.Api.History;
using EventChat.Api.Rooms;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Redis;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace EventChat.Api.Chat;

public static class EdgeServiceExtensions
{
    /// <summary>The SignalR edge: the hub, the Redis backplane when Redis is configured, history and presence.</summary>
    public static IServiceCollection AddChatEdge(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new ChatOptions();
        configuration.GetSection("Chat").Bind(options);
        options.Validate();
        services.AddSingleton(options);

        var signalR = services.AddSignalR(hub =>
        {
            // Room for the longest text even when every character arrives as a six-byte JSON escape, and for
            // oversized text to reach the length check and get a clear answer. A frame past this closes the
            // connection: SignalR cannot answer an invocation it refused to read.
            hub.MaximumReceiveMessageSize = Math.Max(1024 * 1024, (options.MaxMessageLength * 12) + 4096);
            hub.AddFilter<HubErrorFilter>();
        });
        var redis = new RedisOptions { ConnectionString = configuration.GetConnectionString("Redis") };
        configuration.GetSection("Redis").Bind(redis);
        if (redis.UseRedis)
        {
            signalR.AddStackExchangeRedis(redis.ConnectionString!, o =>
                o.Configuration.ChannelPrefix = RedisChannel.Literal($"{redis.Prefix}:signalr"));
            services.AddSingleton<IRecentMessages, RedisRecentMessages>();
        }
        else
        {
            services.AddSingleton<IRecentMessages, InMemoryRecentMessages>();
        }

        services.AddSingleton<PublishRetry>();
        services.AddScoped<RoomAccess>();
        services.AddScoped<MessageHistory>();
        services.AddHostedService<PresenceHeartbeat>();
        return services;
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
    }
}
