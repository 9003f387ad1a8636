using EventChat.Api.Delivery;
using EventChat.Api.History;
using EventChat.Api.Moderation;
using EventChat.Api.Rooms;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Redis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

            // A client that reconnects within a network blip resumes where it was, with nothing to catch up on.
            hub.StatefulReconnectBufferSize = options.StatefulReconnectBufferBytes;
        });

        // The one protocol clients speak, explaining arguments that do not fit a method.
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol>(provider => new ArgumentCheckingProtocol(
            new JsonHubProtocol(provider.GetRequiredService<IOptions<JsonHubProtocolOptions>>())));

        var redis = new RedisOptions { ConnectionString = configuration.GetConnectionString("Redis") };
        configuration.GetSection("Redis").Bind(redis);
        if (redis.UseRedis)
        {
            signalR.AddStackExchangeRedis(redis.ConnectionString!, o =>
                o.Configuration.ChannelPrefix = RedisChannel.Literal($"{redis.Prefix}:signalr"));
            services.AddSingleton<IRecentEvents, RedisRecentEvents>();
        }
        else
        {
            services.AddSingleton<IRecentEvents, InMemoryRecentEvents>();
        }

        services.AddSingleton<PublishRetry>();
        services.AddEdgeDelivery();
        services.AddScoped<RoomAccess>();
        services.AddScoped<MessageReports>();
        services.AddSingleton<MembershipCache>();
        services.AddHostedService(provider => provider.GetRequiredService<MembershipCache>());
        services.AddScoped<MessageHistory>();
        services.AddScoped<EventHistory>();
        return services;
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
    }
}
