using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.LoadTest.Common;

/// <summary>
/// Counts failed calls by a short reason (the exception type and the gist of its message), so a run says why its
/// sends failed instead of only how many did.
/// </summary>
public sealed partial class FailureReasons
{
    private const int MaxReasonLength = 100;
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public long Total => _counts.Values.Sum();

    public void Add(Exception exception) => _counts.AddOrUpdate(Describe(exception), 1, (_, n) => n + 1);

    /// <summary>The counts, most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Counts() =>
        _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();

    /// <summary>
    /// One short line per kind of failure. Ids in server messages are replaced by <c>&lt;id&gt;</c>, so the same
    /// refusal for different rooms counts as one reason.
    /// </summary>
    public static string Describe(Exception exception) => exception switch
    {
        HubException hub => $"HubException: {Shorten(hub.Message)}",
        TimeoutException => "timeout",

        // The sends are never cancelled by the tool, so a cancelled invocation is one the client gave up when its
        // connection closed.
        OperationCanceledException => "connection closed",
        InvalidOperationException op when op.Message.Contains("not active", StringComparison.Ordinal) =>
            "connection not active",
        IOException or WebSocketException or SocketException =>
            $"connection closed: {exception.GetType().Name}",
        _ => $"{exception.GetType().Name}: {Shorten(exception.Message)}",
    };

    private static string Shorten(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        line = IdPattern().Replace(line, "<id>");
        return line.Length <= MaxReasonLength ? line : line[..MaxReasonLength] + "…";
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex IdPattern();
}
