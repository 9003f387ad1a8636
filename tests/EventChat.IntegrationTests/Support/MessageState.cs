namespace EventChat.IntegrationTests.Support;

/// <summary>
/// Everything about a message that a client shows, in a form that compares by value: what a client's local model
/// holds after applying events, and what history says.
/// </summary>
public sealed record MessageState(
    Guid MessageId,
    long Seq,
    Guid SenderId,
    string? Text,
    Guid? ReplyToMessageId,
    bool Edited,
    bool Deleted,
    string Reactions)
{
    /// <summary>"emoji=count" pairs in ordinal emoji order, the order history promises.</summary>
    public static string FormatReactions(IEnumerable<(string Emoji, int Count)> reactions) =>
        string.Join(",", reactions.OrderBy(r => r.Emoji, StringComparer.Ordinal).Select(r => $"{r.Emoji}={r.Count}"));
}
