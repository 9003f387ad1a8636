namespace EventChat.Api.Moderation;

/// <summary>How a room admin resolves a report: each but <see cref="Dismissed"/> acts on the message or its sender.</summary>
public static class ReportOutcomes
{
    public const string Dismissed = "dismissed";

    public const string Deleted = "deleted";

    public const string Kicked = "kicked";

    public const string Muted = "muted";

    public const string Banned = "banned";

    public static readonly IReadOnlyList<string> All = [Dismissed, Deleted, Kicked, Muted, Banned];
}
