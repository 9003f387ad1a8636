using EventChat.LoadTest.Chat;
using EventChat.LoadTest.Cli;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// The flood-limit note counts only the users that send, and names the setting where moderation applies it.
/// </summary>
public sealed class When_the_flood_limit_is_near
{
    [Fact]
    public void Should_count_only_the_senders_of_an_account()
    {
        // fanout: 4 senders at 5 msg/s, 50 connections per account: the busiest account sends from 4 users.
        var note = ChatRun.FloodLimitNote(Settings("--senders", "4", "--rate", "5", "--connections-per-account", "50"));

        Assert.NotNull(note);
        Assert.Contains("about 200 messages per 10 s", note, StringComparison.Ordinal);
        Assert.Contains("Moderation__FloodLimit", note, StringComparison.Ordinal);
        Assert.Contains("moderation worker", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_say_nothing_when_the_senders_stay_under_the_limit()
    {
        var note = ChatRun.FloodLimitNote(Settings("--senders", "2", "--rate", "1", "--connections-per-account", "2"));

        Assert.Null(note);
    }

    private static ChatSettings Settings(params string[] args) =>
        ChatSettings.From(CommandLine.Parse(
            ["--users", "100", "--rooms", "2", .. args], ChatSettings.Specs("200", "20", "0", "0.5")));
}
