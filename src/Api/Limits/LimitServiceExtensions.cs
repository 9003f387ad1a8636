using EventChat.Infrastructure.Redis;
using Microsoft.AspNetCore.Http.Features;

namespace EventChat.Api.Limits;

public static class LimitServiceExtensions
{
    /// <summary>The rate limits, in Redis when it is configured (shared by every edge), else in this process.</summary>
    public static IServiceCollection AddChatLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new LimitsOptions();
        configuration.GetSection("Limits").Bind(options);
        options.Validate();
        services.AddSingleton(options);

        var redis = new RedisOptions { ConnectionString = configuration.GetConnectionString("Redis") };
        if (redis.UseRedis)
        {
            services.AddSingleton<IRateLimitStore, RedisRateLimitStore>();
        }
        else
        {
            services.AddSingleton<IRateLimitStore, InMemoryRateLimitStore>();
        }

        services.AddSingleton<RateLimiter>();
        services.AddExceptionHandler<TooManyRequestsExceptionHandler>();
        return services;
    }

    /// <summary>
    /// The REST API reads bodies up to <see cref="LimitsOptions.MaxRequestBodyBytes"/>; Kestrel's own limit stays
    /// larger for the hub's long-polling transport, whose frames <c>Hub:MaximumReceiveMessageSize</c> bounds.
    /// Hub connections beyond the per-user count are refused. Runs after authentication.
    /// </summary>
    public static IApplicationBuilder UseChatLimits(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<LimitsOptions>();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api")
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = options.MaxRequestBodyBytes;
            }

            return next(context);
        });
        app.UseMiddleware<ConnectionLimitMiddleware>();
        return app;
    }
}
