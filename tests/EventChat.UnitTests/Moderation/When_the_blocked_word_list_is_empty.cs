using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

public sealed class When_the_blocked_word_list_is_empty
{
    [Theory]
    [InlineData("")]
    [InlineData("ass")]
    [InlineData("anything at all")]
    public void Should_match_nothing(string text) => Assert.False(new BlockedWordFilter([]).ContainsBlockedWord(text));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\u200B")]
    [InlineData("\u0301")]
    public void Should_match_nothing_when_every_entry_is_blank_or_invisible(string entry)
    {
        var filter = new BlockedWordFilter([entry]);

        Assert.False(filter.ContainsBlockedWord("plain words, and   spaces"));
        Assert.False(filter.ContainsBlockedWord(entry));
    }
}
