using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventChat.Api.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Keeps tokens out of every log, at any level: ASP.NET Core's request log, for one, prints each URL with its
    /// query string at Information, and a browser's hub URL carries the access token.
    /// </summary>
    public static ILoggingBuilder RedactTokens(this ILoggingBuilder logging)
    {
        logging.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new TokenRedactingLoggerFactory(new LoggerFactory(
                provider.GetServices<ILoggerProvider>(),
                provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                provider.GetService<IOptions<LoggerFactoryOptions>>(),
                provider.GetService<IExternalScopeProvider>()))));
        return logging;
    }
}
