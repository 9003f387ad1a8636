using EventChat.Api.Chat;
using EventChat.Api.History;

namespace EventChat.UnitTests.History;

/// <summary>
/// Expected answers are written as "first..last" for a page, "" for an answer with no messages, and null when the
/// cache must decline so that the database answers.
/// </summary>
public sealed class When_history_is_read_from_the_cache
{
    private static readonly Guid Room = Guid.NewGuid();

    [Theory]
    // afterSeq only: the page starts just after it, as long as the cache reaches back to that point.
    [InlineData(100L, null, 10, "101..110")]
    [InlineData(50L, null, 10, "51..60")]
    [InlineData(49L, null, 10, null)]
    [InlineData(0L, null, 10, null)]
    [InlineData(145L, null, 10, "146..150")]
    [InlineData(150L, null, 10, "")]
    [InlineData(400L, null, 10, "")]
    // beforeSeq only: the page ends just before it.
    [InlineData(null, 100L, 10, "90..99")]
    [InlineData(null, 61L, 10, "51..60")]
    [InlineData(null, 60L, 10, null)]
    [InlineData(null, 51L, 10, null)]
    [InlineData(null, 151L, 10, "141..150")]
    [InlineData(null, 1000L, 10, "141..150")]
    // Both: the messages strictly between them, from the lower end, at most limit of them.
    [InlineData(60L, 66L, 10, "61..65")]
    [InlineData(60L, 100L, 3, "61..63")]
    [InlineData(60L, 61L, 10, "")]
    [InlineData(40L, 60L, 10, null)]
    // Neither: the newest page.
    [InlineData(null, null, 10, "141..150")]
    [InlineData(null, null, 1, "150..150")]
    [InlineData(null, null, 100, "51..150")]
    [InlineData(null, null, 101, null)]
    public void Should_answer_from_a_run_that_lost_its_oldest_messages(
        long? afterSeq, long? beforeSeq, int limit, string? expected) =>
        Assert.Equal(Expected(expected), Select(Views.Run(Room, 51, 150), afterSeq, beforeSeq, limit));

    [Theory]
    [InlineData(null, null, 50, "1..30")]
    [InlineData(null, 10L, 50, "1..9")]
    [InlineData(null, 1L, 50, "")]
    [InlineData(0L, null, 5, "1..5")]
    [InlineData(0L, 4L, 50, "1..3")]
    [InlineData(30L, null, 5, "")]
    public void Should_answer_anything_from_a_run_that_starts_at_the_first_message(
        long? afterSeq, long? beforeSeq, int limit, string? expected) =>
        Assert.Equal(Expected(expected), Select(Views.Run(Room, 1, 30), afterSeq, beforeSeq, limit));

    [Theory]
    [InlineData(null, null, 10)]
    [InlineData(0L, null, 10)]
    [InlineData(null, 5L, 10)]
    [InlineData(0L, 5L, 10)]
    public void Should_decline_when_nothing_is_cached(long? afterSeq, long? beforeSeq, int limit) =>
        Assert.Null(HistoryWindow.TrySelect([], afterSeq, beforeSeq, limit));

    private static List<long>? Select(List<MessageView> cached, long? afterSeq, long? beforeSeq, int limit) =>
        HistoryWindow.TrySelect(cached, afterSeq, beforeSeq, limit)?.Select(m => m.Seq).ToList();

    private static List<long>? Expected(string? range)
    {
        if (range is null)
        {
            return null;
        }

        if (range.Length == 0)
        {
            return [];
        }

        var bounds = range.Split("..");
        var first = long.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
        var last = long.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(0, (int)(last - first + 1)).Select(i => first + i).ToList();
    }
}
