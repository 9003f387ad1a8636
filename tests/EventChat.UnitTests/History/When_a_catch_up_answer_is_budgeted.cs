using EventChat.Api.History;
using EventChat.Contracts;

namespace EventChat.UnitTests.History;

/// <summary>
/// However many rooms a Sync names and however long their messages are, one answer stays bounded: pages are cut
/// where the budget runs out, and say so with <c>hasMore</c>.
/// </summary>
public sealed class When_a_catch_up_answer_is_budgeted
{
    private static readonly Guid Room = Guid.NewGuid();

    [Fact]
    public void Should_pass_small_pages_whole()
    {
        var budget = new CatchUpBudget();
        var page = Page(Events(100, text: "hello"), lastSeq: 100);

        Assert.Same(page, budget.Take(page));
        Assert.Equal(CatchUpBudget.MaxEvents - 100, budget.EventsLeft);
    }

    [Fact]
    public void Should_cut_long_texts_at_the_byte_budget_and_leave_later_rooms_empty_with_more_to_come()
    {
        var budget = new CatchUpBudget();
        var fat = new string('€', 4_000);
        var first = budget.Take(Page(Events(500, fat), lastSeq: 500));

        Assert.True(first.HasMore);
        Assert.InRange(first.Events.Count, 1, 499);
        Assert.InRange(first.Events.Count * fat.Length * 6L, 0, CatchUpBudget.MaxBytes);
        Assert.Equal(Enumerable.Range(1, first.Events.Count).Select(i => (long)i), first.Events.Select(e => e.Seq));
        Assert.Equal(0, budget.EventsLeft);
    }

    [Fact]
    public void Should_stop_at_the_event_budget_however_small_the_events()
    {
        var budget = new CatchUpBudget();
        var taken = 0;
        for (var room = 0; room < 12; room++)
        {
            var page = budget.Take(Page(Events(Math.Min(500, budget.EventsLeft), "hi"), lastSeq: 500));
            taken += page.Events.Count;
        }

        Assert.Equal(CatchUpBudget.MaxEvents, taken);
        Assert.Equal(0, budget.EventsLeft);
    }

    [Fact]
    public void Should_always_let_the_first_event_through()
    {
        var budget = new CatchUpBudget();
        var huge = new string('x', (int)(CatchUpBudget.MaxBytes / 4));

        Assert.Single(budget.Take(Page(Events(3, huge), lastSeq: 3)).Events);
    }

    private static EventPage Page(List<RoomEvent> events, long lastSeq) =>
        new(Room, events, lastSeq, events.Count > 0 && events[^1].Seq < lastSeq, null);

    private static List<RoomEvent> Events(int count, string text) =>
        Enumerable.Range(1, count)
            .Select(seq => new RoomEvent(Room, seq, RoomEventTypes.MessagePosted, DateTimeOffset.UtcNow, Guid.NewGuid(),
                "sender", Guid.NewGuid(), $"c{seq}", text))
            .ToList();
}
