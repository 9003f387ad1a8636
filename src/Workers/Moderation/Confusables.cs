using System.Collections.Frozen;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Cyrillic and Greek letters that look like Latin ones, mapped to the Latin letter a reader sees, so that a word
/// spelt with them folds like the plain word. Compatibility decomposition already covers full-width and styled
/// (mathematical) letters; this covers what Unicode treats as letters of other scripts.
/// </summary>
public static class Confusables
{
    private static readonly FrozenDictionary<char, char> LatinFor = new Dictionary<char, char>
    {
        // Cyrillic capitals and small letters.
        ['А'] = 'a', ['В'] = 'b', ['Е'] = 'e', ['Ѕ'] = 's', ['І'] = 'i', ['Ј'] = 'j', ['К'] = 'k', ['М'] = 'm',
        ['Н'] = 'h', ['О'] = 'o', ['Р'] = 'p', ['С'] = 'c', ['Т'] = 't', ['У'] = 'y', ['Х'] = 'x', ['Ү'] = 'y',
        ['Һ'] = 'h', ['Ԁ'] = 'd', ['Ԛ'] = 'q', ['Ԝ'] = 'w', ['Ӏ'] = 'l',
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ѕ'] = 's', ['і'] = 'i', ['ј'] = 'j', ['к'] = 'k', ['м'] = 'm',
        ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ү'] = 'y',
        ['һ'] = 'h', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ӏ'] = 'l', ['Ь'] = 'b', ['ь'] = 'b',

        // Latin letters of other shapes that pass for plain ones.
        ['ɡ'] = 'g', ['ɑ'] = 'a',

        // Greek capitals and small letters; the lunate sigma decomposes to the final sigma first.
        ['Α'] = 'a', ['Β'] = 'b', ['Ε'] = 'e', ['Ζ'] = 'z', ['Η'] = 'h', ['Ι'] = 'i', ['Κ'] = 'k', ['Μ'] = 'm',
        ['Ν'] = 'n', ['Ο'] = 'o', ['Ρ'] = 'p', ['Τ'] = 't', ['Υ'] = 'y', ['Χ'] = 'x',
        ['α'] = 'a', ['β'] = 'b', ['γ'] = 'y', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v',
        ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ϲ'] = 'c', ['ς'] = 'c', ['ϳ'] = 'j',
    }.ToFrozenDictionary();

    /// <summary>The Latin letter <paramref name="c"/> looks like, or <paramref name="c"/> itself.</summary>
    public static char ToLatin(char c) => LatinFor.TryGetValue(c, out var latin) ? latin : c;
}
