using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>The end-of-run checks of what every receiver saw against what was sent and stored.</summary>
public static class DeliveryChecks
{
    /// <summary>
    /// EventChat: a room's <c>seq</c> numbers every event, so gaps in a receiver's seqs are not losses by
    /// themselves. The room's posted set comes from history; each receiver must have seen exactly the posted
    /// seqs above the <c>lastSeq</c> it joined at, and every acknowledged message must be in history once.
    /// </summary>
    public static async Task<CheckResult> CheckEventChatAsync(
        List<ChatMember> members, ChatContext context, ApiClient api, string token, CancellationToken cancellationToken)
    {
        var result = new CheckResult();
        AddLiveCounts(members, result);
        foreach (var room in members.GroupBy(m => m.Room))
        {
            List<RoomEventView> history;
            try
            {
                history = await api.GetAllEventsAsync(token, context.RoomIds[room.Key], 0, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                result.Error = $"history of room {context.RoomIds[room.Key]}: {ex.Message}";
                return result;
            }

            var posted = history.Where(e => e.Type == "message.posted").ToList();
            var postedSeqs = posted.Select(e => e.Seq).ToHashSet();
            result.HistoryMessages += posted.Count;
            var byClientId = posted
                .Where(e => e.ClientMessageId is not null)
                .GroupBy(e => e.ClientMessageId!)
                .ToDictionary(g => g.Key, g => g.Count());

            foreach (var acked in room.SelectMany(m => m.Acked))
            {
                var count = byClientId.GetValueOrDefault(acked.ClientMessageId);
                if (count == 0 && !context.Rejected.ContainsKey(acked.ClientMessageId))
                {
                    result.AckedMissing++;
                    if (result.AckedMissingIds.Count < 10)
                    {
                        result.AckedMissingIds.Add($"{acked.ClientMessageId} (room {context.RoomIds[room.Key]})");
                    }
                }
                else if (count > 1)
                {
                    result.AckedDuplicatedInHistory += count - 1;
                }
            }

            foreach (var member in room)
            {
                var seen = member.Streams.TryGetValue(room.Key, out var state) ? state.Posted : [];
                result.Lost += postedSeqs.Count(seq => seq > member.JoinSeq && !seen.Contains(seq));
                result.Unexpected += seen.Count(seq => !postedSeqs.Contains(seq));
            }
        }

        return result;
    }

    /// <summary>
    /// Reference server: each receiver must have seen every acknowledged frame of every other sender in its
    /// room, once and in counter order.
    /// </summary>
    public static CheckResult CheckReference(List<ChatMember> members)
    {
        var result = new CheckResult();
        AddLiveCounts(members, result);
        foreach (var room in members.GroupBy(m => m.Room))
        {
            var sent = room.ToDictionary(m => (long)m.Index, m => m.Acked.Select(a => a.Counter).ToHashSet());
            foreach (var receiver in room)
            {
                foreach (var (sender, counters) in sent)
                {
                    if (sender == receiver.Index)
                    {
                        continue;
                    }

                    var seen = receiver.Streams.TryGetValue(sender, out var state) ? state.Posted : [];
                    result.Lost += counters.Count(c => !seen.Contains(c));
                    result.Unexpected += seen.Count(c => !counters.Contains(c));
                }

                result.Unexpected += receiver.Streams.Keys.Count(k => !sent.ContainsKey(k));
            }

            result.HistoryMessages += sent.Values.Sum(s => s.Count);
        }

        return result;
    }

    private static void AddLiveCounts(List<ChatMember> members, CheckResult result)
    {
        foreach (var state in members.SelectMany(m => m.Streams.Values))
        {
            result.Duplicated += state.Duplicates;
            result.OutOfOrder += state.OutOfOrder;
        }
    }
}
