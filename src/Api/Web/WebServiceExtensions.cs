using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace EventChat.Api.Web;

public static class WebServiceExtensions
{
    public const string CorsPolicy = "configured-origins";

    /// <summary>CORS for the configured origins only, the proxies whose forwarded headers count, and HSTS.</summary>
    public static IServiceCollection AddChatWeb(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new WebOptions();
        configuration.GetSection("Web").Bind(options);
        options.Validate();
        services.AddSingleton(options);

        // With no origin listed the policy matches none, and browsers keep other sites' pages out.
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(options.CorsOrigins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .AllowCredentials()
            .WithExposedHeaders("Retry-After")));

        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = options.ForwardLimit;
            if (options.KnownProxies.Length > 0 || options.KnownNetworks.Length > 0)
            {
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in options.KnownProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in options.KnownNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            }
        });
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = options.HstsMaxAge;
            hsts.IncludeSubDomains = true;
        });
        return services;
    }

    /// <summary>First in the pipeline, so that limits, logs and HSTS see the client's address and scheme.</summary>
    public static WebApplication UseChatWeb(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<WebOptions>();
        app.UseForwardedHeaders();
        if (options.Hsts && !app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        if (options.HttpsRedirection)
        {
            app.UseHttpsRedirection();
        }

        app.UseSecurityHeaders();
        app.UseCors(CorsPolicy);
        return app;
    }
}
