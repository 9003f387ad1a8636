using EventChat.Workers.Notifications;

namespace EventChat.UnitTests.Notifications;

public sealed class When_text_mentions_users
{
    [Fact]
    public void Should_find_a_mention_at_the_start_of_the_text() =>
        Assert.Equal(["alice"], MentionParser.Parse("@alice are you there?"));

    [Theory]
    [InlineData("hi,@bob")]
    [InlineData("(@bob)")]
    [InlineData("ping:@bob")]
    [InlineData("wow!@bob")]
    [InlineData("\"@bob\"")]
    [InlineData("hey\n@bob")]
    public void Should_find_a_mention_after_punctuation_or_space(string text) =>
        Assert.Equal(["bob"], MentionParser.Parse(text));

    [Theory]
    [InlineData("write to a@b.com")]
    [InlineData("first.last@example.org please")]
    [InlineData("user_1@host")]
    public void Should_not_find_one_inside_an_email_address(string text) => Assert.Empty(MentionParser.Parse(text));

    [Fact]
    public void Should_keep_each_name_once_ignoring_case()
    {
        var names = MentionParser.Parse("@Bob, @bob and @BOB, then @carol");

        Assert.Equal(["Bob", "carol"], names);
    }

    [Theory]
    [InlineData("thanks @carol.", "carol")]
    [InlineData("thanks @carol...", "carol")]
    [InlineData("see @dave- later", "dave")]
    [InlineData("cc @first.last.", "first.last")]
    public void Should_drop_a_trailing_dot_or_dash(string text, string expected) =>
        Assert.Equal([expected], MentionParser.Parse(text));

    [Fact]
    public void Should_stop_after_twenty_distinct_names()
    {
        var text = string.Join(' ', Enumerable.Range(1, 25).Select(i => $"@user{i} @USER{i}"));

        var names = MentionParser.Parse(text);

        Assert.Equal(MentionParser.MaxMentionsPerMessage, names.Count);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"user{i}"), names);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("@ alone")]
    [InlineData("@.")]
    public void Should_find_nothing_without_a_name(string text) => Assert.Empty(MentionParser.Parse(text));
}
