using System.Globalization;
using System.Text;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Finds blocked words as whole words. Text and list are folded the same way first: compatibility
/// decomposition (so full-width and styled letters become plain ones), combining marks, invisible format
/// characters (tag characters too), noncharacters and unpaired surrogates dropped, Cyrillic and Greek look-alikes
/// read as the Latin letters they resemble, lower-cased invariantly.
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

    public bool ContainsBlockedWord(string text) => _blocked.Count > 0 && ContainsBlockedWordFolded(Fold(text));

    /// <summary>The same test on text already passed through <see cref="Fold"/>.</summary>
    public bool ContainsBlockedWordFolded(string folded)
    {
        if (_blocked.Count == 0)
        {
            return false;
        }

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
        var decomposed = Decompose(text);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            // By code point, not by char: a tag character or other invisible one outside the BMP is one rune. An
            // unpaired surrogate comes out as the replacement character, and is dropped like a noncharacter.
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
                || IsBroken(rune))
            {
                continue;
            }

            if (rune.IsBmp)
            {
                builder.Append(char.ToLowerInvariant(Confusables.ToLatin((char)rune.Value)));
            }
            else
            {
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// Compatibility decomposition. <see cref="string.Normalize(NormalizationForm)"/> refuses text that holds a
    /// noncharacter such as U+FFFE or an unpaired surrogate, which a client may send: those are dropped first, since
    /// they show nothing and would otherwise make every rule that folds text fail on the message.
    /// </summary>
    private static string Decompose(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            var kept = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                if (!IsBroken(rune))
                {
                    kept.Append(rune.ToString());
                }
            }

            return kept.ToString().Normalize(NormalizationForm.FormKD);
        }
    }

    /// <summary>A noncharacter, or the replacement character an unpaired surrogate is read as.</summary>
    private static bool IsBroken(Rune rune) =>
        rune == Rune.ReplacementChar || rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE;
}
