namespace EventChat.Api.Logging;

/// <summary>A log entry's values and message with every token replaced, in place of the entry that held them.</summary>
public sealed class RedactedLogState(IReadOnlyList<KeyValuePair<string, object?>> values, string message)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values = values
        .Select(v => TokenRedactingLogger.MayHoldToken(v.Value)
            ? new KeyValuePair<string, object?>(v.Key, TokenRedactor.Redact(v.Value!.ToString()!))
            : v)
        .ToArray();

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public static string Format(RedactedLogState state, Exception? exception) => state.ToString();

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => message;
}
