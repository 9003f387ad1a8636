using System.Globalization;
using System.Text;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Finds blocked words as whole words. Text and list are folded the same way first: compatibility
/// decomposition (so full-width and styled letters become plain ones), combining marks and invisible
/// format characters dropped, Cyrillic and Greek look-alikes read as the Latin letters they resemble,
/// lower-cased invariantly.
/// </summary>
public sealed class BlockedWordFilter
{
    private readonly HashSet<string> _blocked;

    public BlockedWordFilter(IEnumerable<string> blockedWords)
    {
        _blocked = blockedWords
            .Select(Fold)
            .Where(w => w.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
    }

    public bool ContainsBlockedWord(string text)
    {
        if (_blocked.Count == 0)
        {
            return false;
        }

        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                if (_blocked.Contains(folded[start..i]))
                {
                    return true;
                }

                start = -1;
            }
        }

        return false;
    }

    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            builder.Append(char.ToLowerInvariant(Confusables.ToLatin(c)));
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
