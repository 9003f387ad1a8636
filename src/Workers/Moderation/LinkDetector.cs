namespace EventChat.Workers.Moderation;

/// <summary>
/// Finds links for the new-account rule: <c>http://</c>, <c>https://</c> or <c>www.</c>. The text is folded as the
/// blocked-word filter folds it first, so that invisible characters inside a marker, full-width or styled letters
/// and look-alikes from other scripts do not hide one, and case does not matter.
/// </summary>
public static class LinkDetector
{
    private static readonly string[] Markers = ["http://", "https://", "www."];

    public static bool HasLink(string text) => HasLinkFolded(BlockedWordFilter.Fold(text));

    /// <summary>The same test on text already passed through <see cref="BlockedWordFilter.Fold"/>.</summary>
    public static bool HasLinkFolded(string folded)
    {
        foreach (var marker in Markers)
        {
            if (folded.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
