using EventChat.LoadTest.Chat;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// What a receiver catches up on after a reconnect fills its gaps: it is neither out of order nor, when the live
/// copy also arrives, a duplicate; a second live copy still is.
/// </summary>
public sealed class When_deliveries_are_recovered_after_a_reconnect
{
    [Fact]
    public void Should_fill_gaps_below_a_later_live_event_without_counting_disorder()
    {
        var stream = new StreamState();
        Assert.True(stream.Record(10, posted: true));
        Assert.True(stream.Record(16, posted: true));

        Assert.True(stream.RecordRecovered(11, posted: true));
        Assert.True(stream.RecordRecovered(12, posted: false));
        Assert.False(stream.RecordRecovered(16, posted: true));

        Assert.Equal(0, stream.OutOfOrder);
        Assert.Equal(0, stream.Duplicates);
        Assert.Equal([10L, 11L, 16L], stream.Posted.Order());
        Assert.Equal(16, stream.Max);
    }

    [Fact]
    public void Should_drop_the_first_live_copy_of_a_recovered_event_and_count_the_second()
    {
        var stream = new StreamState();
        Assert.True(stream.RecordRecovered(20, posted: true));

        Assert.False(stream.Record(20, posted: true));
        Assert.Equal(0, stream.Duplicates);

        Assert.False(stream.Record(20, posted: true));
        Assert.Equal(1, stream.Duplicates);
    }

    [Fact]
    public void Should_still_count_live_duplicates_and_disorder()
    {
        var stream = new StreamState();
        stream.Record(5, posted: true);
        stream.Record(7, posted: true);
        stream.Record(6, posted: true);
        stream.Record(7, posted: true);

        Assert.Equal(1, stream.OutOfOrder);
        Assert.Equal(1, stream.Duplicates);
    }
}
