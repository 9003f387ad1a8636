using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>What the end of a run still waits for before it checks: deliveries of acknowledged messages.</summary>
public static class DeliveryDrain
{
    /// <summary>
    /// How many deliveries of acknowledged, unrejected messages have not arrived yet: each such message is due to
    /// every member of its room (on the reference server, to every member but its sender).
    /// </summary>
    public static long Outstanding(IReadOnlyCollection<ChatMember> members, ChatContext context, bool reference)
    {
        var membersPerRoom = members.GroupBy(m => m.Room).ToDictionary(g => g.Key, g => g.Count());
        long expected = 0;
        foreach (var member in members)
        {
            var recipients = membersPerRoom[member.Room] - (reference ? 1 : 0);
            var delivered = member.Acked.Count(a => !context.Rejected.ContainsKey(a.ClientMessageId));
            expected += (long)delivered * recipients;
        }

        return Math.Max(0, expected - context.Metrics.Get(Counter.Delivered));
    }
}
