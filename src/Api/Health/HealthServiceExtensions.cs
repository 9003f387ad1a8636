using EventChat.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace EventChat.Api.Health;

public static class HealthServiceExtensions
{
    private const string Ready = "ready";

    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health</c> and <c>/health/ready</c> also check the
    /// database, Redis and the message bus (MassTransit registers its own check).
    /// </summary>
    public static IServiceCollection AddChatHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<RedisHealthCheck>("redis", tags: [Ready]);
        return services;
    }

    public static void MapChatHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        app.MapHealthChecks("/health");
    }

    private sealed class DatabaseHealthCheck(ChatDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
    }

    private sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(
            HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<IConnectionMultiplexer>() is not { } redis)
            {
                return HealthCheckResult.Healthy("Redis is not configured; hot state is in memory.");
            }

            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (RedisException ex)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
            }
        }
    }
}
