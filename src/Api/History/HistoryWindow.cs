using EventChat.Api.Chat;

namespace EventChat.Api.History;

/// <summary>Decides whether a cached run of messages answers a history query completely.</summary>
public static class HistoryWindow
{
    /// <summary>
    /// The answer to (<paramref name="afterSeq"/>, <paramref name="beforeSeq"/>, <paramref name="limit"/>) from
    /// <paramref name="cached"/>, or null when the cache does not reach back far enough and the database must answer.
    /// With <paramref name="afterSeq"/> the page starts just after it; otherwise it ends just before
    /// <paramref name="beforeSeq"/>, or at the newest message.
    /// </summary>
    public static IReadOnlyList<MessageView>? TrySelect(
        IReadOnlyList<MessageView> cached, long? afterSeq, long? beforeSeq, int limit)
    {
        if (cached.Count == 0)
        {
            return null;
        }

        var first = cached[0].Seq;
        var last = cached[^1].Seq;
        if (afterSeq is long after)
        {
            return after + 1 < first
                ? null
                : cached.Where(m => m.Seq > after && (beforeSeq is null || m.Seq < beforeSeq)).Take(limit).ToList();
        }

        var upper = beforeSeq is long before ? Math.Min(before - 1, last) : last;
        var lower = Math.Max(1, upper - limit + 1);
        return lower < first ? null : cached.Where(m => m.Seq >= lower && m.Seq <= upper).ToList();
    }
}
