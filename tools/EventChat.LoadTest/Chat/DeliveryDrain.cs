using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>What the end of a run still waits for before it checks: deliveries of acknowledged messages.</summary>
public static class DeliveryDrain
{
    /// <summary>
    /// How many deliveries of acknowledged, unrejected messages are still due, each such message being due to every
    /// member of its room (on the reference server, to every member but its sender): 0 once every one has arrived.
    /// While the run's total of deliveries falls short of the total due, that shortfall is the answer, as it costs
    /// nothing to count.
    /// </summary>
    /// <remarks>
    /// The totals alone cannot tell when the wait is over: a send whose acknowledgement was lost with its
    /// connection may still have been stored, and its deliveries would make up for those of an acknowledged
    /// message that is still on its way, so the checks would read history before that message is in it. Once the
    /// totals match, each acknowledged message is looked for in each member's deliveries.
    /// </remarks>
    public static long Outstanding(IReadOnlyCollection<ChatMember> members, ChatContext context, bool reference)
    {
        var rooms = members.GroupBy(m => m.Room).ToList();
        long due = 0;
        foreach (var room in rooms)
        {
            var recipients = room.Count() - (reference ? 1 : 0);
            due += room.Sum(sender => (long)Unrejected(sender, context).Count() * recipients);
        }

        var shortfall = due - context.Metrics.Get(Counter.Delivered);
        if (shortfall > 0)
        {
            return shortfall;
        }

        long outstanding = 0;
        foreach (var room in rooms)
        {
            foreach (var sender in room)
            {
                foreach (var acked in Unrejected(sender, context))
                {
                    outstanding += room.Count(receiver =>
                        !(reference && receiver == sender) && !receiver.HasArrived(sender.Index, acked.Counter));
                }
            }
        }

        return outstanding;
    }

    private static IEnumerable<AckedMessage> Unrejected(ChatMember sender, ChatContext context) =>
        sender.Acked.Where(a => !context.Rejected.ContainsKey(a.ClientMessageId));
}
