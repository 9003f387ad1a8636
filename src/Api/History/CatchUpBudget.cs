using EventChat.Contracts;

namespace EventChat.Api.History;

/// <summary>
/// Bounds one catch-up answer (a <c>Sync</c>, or a page of <c>/events</c>), whatever the rooms hold: at most
/// <see cref="MaxEvents"/> events, and about <see cref="MaxBytes"/> of JSON. Rooms are filled in request order; once
/// the budget is spent, a room's page is cut short (or left empty) with <c>hasMore</c> set, and the client asks
/// again from where it stopped.
/// </summary>
public sealed class CatchUpBudget
{
    public const int MaxEvents = 5_000;
    public const long MaxBytes = 4 * 1024 * 1024;

    private long _bytesLeft = MaxBytes;

    public int EventsLeft { get; private set; } = MaxEvents;

    /// <summary>Keeps as much of the page as the budget allows; the first event of an answer always fits.</summary>
    public EventPage Take(EventPage page)
    {
        var kept = 0;
        foreach (var e in page.Events)
        {
            if (EventsLeft == 0)
            {
                break;
            }

            var cost = EstimatedBytes(e);
            if (cost > _bytesLeft && EventsLeft < MaxEvents)
            {
                EventsLeft = 0;
                break;
            }

            _bytesLeft -= cost;
            EventsLeft--;
            kept++;
        }

        if (_bytesLeft <= 0)
        {
            EventsLeft = 0;
        }

        return kept == page.Events.Count ? page : page with { Events = page.Events.Take(kept).ToList(), HasMore = true };
    }

    /// <summary>An upper bound on an event's JSON: the serializer escapes non-ASCII text as six bytes a unit.</summary>
    private static long EstimatedBytes(RoomEvent e) =>
        512 + (6L * ((e.Text?.Length ?? 0) + e.ActorName.Length + (e.UserName?.Length ?? 0) + (e.RoomName?.Length ?? 0)
            + (e.ClientMessageId?.Length ?? 0) + (e.Emoji?.Length ?? 0)));
}
