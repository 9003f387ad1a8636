using System.Globalization;

namespace EventChat.LoadTest.Chat;

/// <summary>
/// The text of a load-test message carries the sender, its counter and the send timestamp, so a receiver in the
/// same process can time and check the message from the payload alone.
/// </summary>
public static class ChatMessageText
{
    public static string Create(int sender, long counter, long timestamp, string padding) =>
        $"lt {sender} {counter} {timestamp}{padding}";

    public static bool TryParse(string? text, out int sender, out long counter, out long timestamp)
    {
        sender = 0;
        counter = 0;
        timestamp = 0;
        if (text is null || !text.StartsWith("lt ", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(' ', 5);
        return parts.Length >= 4
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out sender)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out counter)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }

    public static string Padding(int bytes) => bytes <= 0 ? string.Empty : " " + new string('x', bytes);
}
