using EventChat.Workers.Moderation;

namespace EventChat.UnitTests.Moderation;

/// <summary>
/// What the new-account link rule takes for a link. It reads text folded as the blocked-word filter folds it, so
/// the tricks that do not hide a blocked word do not hide a link either.
/// </summary>
public sealed class When_text_has_a_link
{
    [Theory]
    [InlineData("see http://a.example")]
    [InlineData("see https://b.example/path")]
    [InlineData("see www.c.example")]
    [InlineData("HTTPS://D.EXAMPLE")]
    [InlineData("WWW.E.EXAMPLE")]
    public void Should_find_a_plain_link_in_any_case(string text) => Assert.True(LinkDetector.HasLink(text));

    [Theory]
    [InlineData("http\u200B://g.example")]
    [InlineData("https:/\u2060/i.example")]
    [InlineData("ht\u00ADtps://j.example")]
    [InlineData("w\u200Dw\uFEFFw.k.example")]
    public void Should_find_a_link_through_invisible_characters(string text) =>
        Assert.True(LinkDetector.HasLink(text));

    [Theory]
    [InlineData("\uFF48\uFF54\uFF54\uFF50\uFF53://h.example")]
    [InlineData("\uFF28\uFF34\uFF34\uFF30\uFF1A\uFF0F\uFF0Fl.example")]
    [InlineData("\uFF57\uFF57\uFF57\uFF0Em.example")]
    public void Should_find_a_link_in_full_width_forms(string text) => Assert.True(LinkDetector.HasLink(text));

    [Theory]
    [InlineData("\U0001D421\U0001D42D\U0001D42D\U0001D429\U0001D42C://n.example")]
    [InlineData("\U0001D5C1\U0001D5CD\U0001D5CD\U0001D5C9://o.example")]
    public void Should_find_a_link_in_mathematical_letters(string text) => Assert.True(LinkDetector.HasLink(text));

    [Theory]
    [InlineData("\u04BBtt\u0440://p.example")]
    [InlineData("h\u0301ttps://q.example")]
    public void Should_find_a_link_through_look_alikes_and_combining_marks(string text) =>
        Assert.True(LinkDetector.HasLink(text));

    [Theory]
    [InlineData("no link here")]
    [InlineData("http and www are words")]
    [InlineData("a.example without a scheme")]
    [InlineData("")]
    public void Should_find_none_in_text_without_one(string text) => Assert.False(LinkDetector.HasLink(text));
}
