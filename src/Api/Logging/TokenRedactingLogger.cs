namespace EventChat.Api.Logging;

/// <summary>
/// Passes each entry on to the real logger, with tokens redacted from its message and values. Entries come with
/// their values apart (the usual case), so an entry is looked at closely only when one of its values could hold a
/// token.
/// </summary>
public sealed class TokenRedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            if (values.Any(v => MayHoldToken(v.Value)))
            {
                var message = TokenRedactor.Redact(formatter(state, exception));
                inner.Log(logLevel, eventId, new RedactedLogState(values, message), exception, RedactedLogState.Format);
                return;
            }
        }
        else
        {
            var message = formatter(state, exception);
            if (TokenRedactor.MayHoldToken(message))
            {
                inner.Log(logLevel, eventId, new RedactedLogState([], TokenRedactor.Redact(message)), exception,
                    RedactedLogState.Format);
                return;
            }
        }

        inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>Numbers, ids and times cannot hold a token; strings, paths, query strings and URLs can.</summary>
    public static bool MayHoldToken(object? value) => value switch
    {
        null => false,
        string text => TokenRedactor.MayHoldToken(text),
        Uri uri => TokenRedactor.MayHoldToken(uri.OriginalString),
        IFormattable or bool => false,
        _ => value.ToString() is { } text && TokenRedactor.MayHoldToken(text),
    };
}
