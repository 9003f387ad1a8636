using EventChat.Infrastructure.Data.Entities;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Tokens;

namespace EventChat.Api.Auth;

public static class AuthServiceExtensions
{
    /// <summary>
    /// Bearer authentication with EventChat's own accounts and tokens, or, with <c>Auth:Authority</c> set, with the
    /// tokens of an external OpenID Connect issuer. Keys are checked here, at start: a process that could not
    /// validate a token does not start.
    /// </summary>
    public static IServiceCollection AddChatAuth(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = new AuthOptions();
        configuration.GetSection("Auth").Bind(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();

        var parameters = new TokenValidationParameters
        {
            ValidAudience = options.Audience,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "name",
        };
        if (options.UseExternalIssuer)
        {
            services.AddSingleton<ExternalUsers>();
        }
        else
        {
            var production = !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"))
                || environment.IsProduction();
            var keys = SigningKeys.Resolve(options, production);
            services.AddSingleton(keys);
            services.AddSingleton<TokenService>();
            services.AddScoped<RefreshTokenStore>();
            services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
            parameters.ValidIssuer = options.Issuer;
            parameters.IssuerSigningKeys = keys.Accepted;
        }

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;

            // A hub connection keeps its request's principal for as long as it is open; nothing reads the raw
            // token afterwards, so it is not kept in the authentication properties.
            jwt.SaveToken = false;
            jwt.TokenValidationParameters = parameters;
            if (options.UseExternalIssuer)
            {
                // The issuer and its signing keys come from the authority's discovery document, and the keys are
                // fetched again when a token names one not seen before, so the issuer can rotate its keys.
                jwt.Authority = options.Authority;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }

            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = TakeHubTokenFromQuery,
                OnTokenValidated = options.UseExternalIssuer ? MapExternalUserAsync : KeepSlimPrincipal,
            };
        });
        services.AddAuthorization();
        return services;
    }

    // Browsers cannot set headers on WebSockets and server-sent events, so the hub also takes the token from the
    // query. The query string is redacted wherever a URL is logged.
    private static Task TakeHubTokenFromQuery(MessageReceivedContext context)
    {
        var token = context.Request.Query["access_token"];
        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    // The validated identity holds every claim and the parsed token; the edge reads only the subject and the name,
    // and an idle connection should not carry more than those. A failure here is a 401; an exception would be a 500.
    private static Task KeepSlimPrincipal(TokenValidatedContext context)
    {
        if (SlimPrincipal.From(context.Principal!, context.Scheme.Name) is { } principal)
        {
            context.Principal = principal;
        }
        else
        {
            context.Fail("The token's subject is not a user id.");
        }

        return Task.CompletedTask;
    }

    private static async Task MapExternalUserAsync(TokenValidatedContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<ExternalUsers>();
        if (await users.FindOrCreateAsync(context.Principal!, context.HttpContext.RequestAborted) is { } user)
        {
            context.Principal = SlimPrincipal.For(user.UserId, user.UserName, context.Scheme.Name);
        }
        else
        {
            context.Fail($"The token's subject is missing or longer than {ExternalUsers.MaxSubjectLength} characters.");
        }
    }
}
