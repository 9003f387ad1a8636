using EventChat.Api.Chat;
using EventChat.Infrastructure.Presence;

namespace EventChat.Api.Presence;

public static class PresenceServiceExtensions
{
    /// <summary>
    /// Presence on the edge: <see cref="PresenceTracker"/> for the hub and the endpoints, this edge's heartbeat,
    /// and the sweeper that takes killed edges' users offline within <see cref="PresenceOptions.OfflineBound"/>.
    /// The store and <see cref="PresenceOptions"/> are registered by <c>AddHotState</c>, which must be called too.
    /// </summary>
    public static IServiceCollection AddChatPresence(this IServiceCollection services, IConfiguration configuration)
    {
        // Checked here, at start, from the same section AddHotState binds.
        var options = new PresenceOptions();
        configuration.GetSection("Presence").Bind(options);
        options.Validate();

        services.AddScoped<PresenceTracker>();
        services.AddHostedService<PresenceHeartbeat>();
        services.AddHostedService<DeadEdgeSweeper>();
        return services;
    }
}
