namespace EventChat.Workers.Moderation;

public sealed class ModerationOptions
{
    /// <summary>Words refused as whole words, compared case-insensitively after Unicode normalisation.</summary>
    public List<string> BlockedWords { get; set; } = [];

    /// <summary>How many messages one user may send per <see cref="FloodWindow"/> before the rest are refused.</summary>
    public int FloodLimit { get; set; } = 30;

    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times in a row one user may send the same text to a room within <see cref="RepeatWindow"/>.</summary>
    public int RepeatLimit { get; set; } = 5;

    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many distinct <c>@name</c> mentions one message may hold.</summary>
    public int MentionLimit { get; set; } = 10;

    /// <summary>An account younger than this is new, and its messages with links are limited.</summary>
    public TimeSpan NewAccountAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many messages with links a new account may send per <see cref="NewAccountLinkWindow"/>.</summary>
    public int NewAccountLinkLimit { get; set; } = 3;

    public TimeSpan NewAccountLinkWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many strikes (messages refused for a blocked word, a repeat, a mention flood or link spam) one member
    /// may collect in a room per <see cref="StrikeWindow"/>; the one that reaches it mutes them for
    /// <see cref="StrikeMuteDuration"/>.
    /// </summary>
    public int StrikeLimit { get; set; } = 5;

    public TimeSpan StrikeWindow { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan StrikeMuteDuration { get; set; } = TimeSpan.FromMinutes(10);

    public void Validate()
    {
        Require(FloodLimit >= 1, "Moderation:FloodLimit must be at least 1.");
        Require(RepeatLimit >= 1, "Moderation:RepeatLimit must be at least 1.");
        Require(MentionLimit is >= 1 and < Notifications.MentionParser.MaxMentionsPerMessage,
            $"Moderation:MentionLimit must be between 1 and {Notifications.MentionParser.MaxMentionsPerMessage - 1}.");
        Require(NewAccountLinkLimit >= 0, "Moderation:NewAccountLinkLimit must be 0 or more.");
        Require(StrikeLimit >= 1, "Moderation:StrikeLimit must be at least 1.");
        Require(NewAccountAge >= TimeSpan.Zero, "Moderation:NewAccountAge must not be negative.");
        foreach (var (name, window) in new[]
                 {
                     ("FloodWindow", FloodWindow), ("RepeatWindow", RepeatWindow),
                     ("NewAccountLinkWindow", NewAccountLinkWindow), ("StrikeWindow", StrikeWindow),
                     ("StrikeMuteDuration", StrikeMuteDuration),
                 })
        {
            Require(window > TimeSpan.Zero, $"Moderation:{name} must be positive.");
        }
    }

    private static void Require(bool holds, string problem)
    {
        if (!holds)
        {
            throw new InvalidOperationException(problem);
        }
    }
}
