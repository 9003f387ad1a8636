using EventChat.Api.Rooms;

namespace EventChat.UnitTests.Rooms;

/// <summary>A room name must show what it is: nothing invisible, nothing that turns the text around.</summary>
public sealed class When_a_room_name_is_checked
{
    [Theory]
    [InlineData("general", "general")]
    [InlineData("  café talk ", "café talk")]
    [InlineData("\U0001F469\u200D\U0001F4BB devs", "\U0001F469\u200D\U0001F4BB devs")]
    [InlineData("\u0627\u0644\u0639\u0631\u0628\u064A\u0629", "\u0627\u0644\u0639\u0631\u0628\u064A\u0629")]
    public void Should_accept_a_name_that_shows_and_trim_it(string name, string expected)
    {
        Assert.Null(RoomEndpoints.CheckName(name, out var trimmed));
        Assert.Equal(expected, trimmed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u200B")]
    [InlineData("a\u202Eb")]
    [InlineData("admins\u2066")]
    [InlineData("\u0301")]
    [InlineData("tab\there")]
    [InlineData("tag\U000E0061")]
    public void Should_refuse_a_name_that_hides_or_turns_text(string name) =>
        Assert.NotNull(RoomEndpoints.CheckName(name, out _));

    [Fact]
    public void Should_refuse_a_name_with_an_unpaired_surrogate()
    {
        // Built here: test data passed through the runner would come back with the surrogate replaced.
        var name = "lone " + '\uD800';

        Assert.NotNull(RoomEndpoints.CheckName(name, out _));
    }
}
