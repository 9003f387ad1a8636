namespace EventChat.Api.Logging;

/// <summary>Hands out loggers that redact tokens to whoever asks: EventChat, ASP.NET Core's hosting, SignalR.</summary>
public sealed class TokenRedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new TokenRedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
