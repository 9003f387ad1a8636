using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

public sealed class When_text_has_a_blocked_word
{
    private readonly BlockedWordFilter _filter = new(["ass", "café"]);

    [Theory]
    [InlineData("ass")]
    [InlineData("you ass")]
    [InlineData("ass at the start")]
    public void Should_match_it_as_a_whole_word(string text) => Assert.True(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("ASS")]
    [InlineData("Ass")]
    [InlineData("aSs")]
    public void Should_match_it_in_any_case(string text) => Assert.True(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("\uFF41\uFF53\uFF53")]
    [InlineData("you \uFF21\uFF33\uFF33")]
    public void Should_match_it_in_full_width_letters(string text) => Assert.True(_filter.ContainsBlockedWord(text));

    [Fact]
    public void Should_match_it_in_mathematical_bold_letters() =>
        Assert.True(_filter.ContainsBlockedWord("\U0001D41A\U0001D42C\U0001D42C"));

    [Theory]
    [InlineData("a\u0301ss")]
    [InlineData("a\u0308s\u0323s")]
    [InlineData("as\u034Fs")]
    public void Should_match_it_through_combining_marks(string text) => Assert.True(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("as\u200Ds")]
    [InlineData("a\u200Bss")]
    [InlineData("as\u00ADs")]
    [InlineData("a\u2060s\uFEFFs")]
    public void Should_match_it_through_invisible_characters_inside_the_word(string text) =>
        Assert.True(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("a caf\u00E9 here")]
    [InlineData("a cafe\u0301 here")]
    [InlineData("CAF\u00C9")]
    public void Should_match_composed_and_decomposed_accents_alike(string text) =>
        Assert.True(_filter.ContainsBlockedWord(text));

    [Theory]
    [InlineData("caf\u00E9")]
    [InlineData("cafe\u0301")]
    public void Should_match_whichever_form_the_list_was_written_in(string text)
    {
        var decomposedList = new BlockedWordFilter(["cafe\u0301"]);
        var composedList = new BlockedWordFilter(["caf\u00E9"]);

        Assert.True(decomposedList.ContainsBlockedWord(text));
        Assert.True(composedList.ContainsBlockedWord(text));
    }

    [Theory]
    [InlineData("ass!")]
    [InlineData("(ass)")]
    [InlineData("\"ass\"")]
    [InlineData("well,ass,well")]
    [InlineData("...ass...")]
    [InlineData("ass-hat")]
    [InlineData("ass's")]
    [InlineData("_ass_")]
    [InlineData("line\nass\nline")]
    public void Should_match_it_between_punctuation(string text) => Assert.True(_filter.ContainsBlockedWord(text));
}
