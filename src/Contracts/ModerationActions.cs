namespace EventChat.Contracts;

/// <summary>The values of <see cref="ModerationActionTaken.Action"/>.</summary>
public static class ModerationActions
{
    public const string Kick = "kick";

    public const string Ban = "ban";

    public const string Unban = "unban";

    public const string Mute = "mute";

    public const string Unmute = "unmute";

    /// <summary>A report was resolved; <see cref="ModerationActionTaken.Reason"/> holds the outcome.</summary>
    public const string ResolveReport = "report.resolved";
}
