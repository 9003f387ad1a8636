namespace EventChat.Workers.Notifications;

/// <summary>Finds <c>@name</c> mentions: an @ at the start or after a non-name character, then a user name.</summary>
public static class MentionParser
{
    public const int MaxMentionsPerMessage = 20;

    public static IReadOnlyList<string> Parse(string text)
    {
        var names = new List<string>();
        for (var i = 0; i < text.Length && names.Count < MaxMentionsPerMessage; i++)
        {
            if (text[i] != '@' || (i > 0 && IsNameChar(text[i - 1])))
            {
                continue;
            }

            var end = i + 1;
            while (end < text.Length && IsNameChar(text[end]))
            {
                end++;
            }

            var name = text[(i + 1)..end].TrimEnd('.', '-');
            if (name.Length > 0 && !names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }

            i = end - 1;
        }

        return names;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
