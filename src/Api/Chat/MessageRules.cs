using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventChat.Api.Chat;

/// <summary>What the edge checks before it publishes a message, and how retries keep one identity.</summary>
public static class MessageRules
{
    /// <summary>Returns why <paramref name="text"/> cannot be sent, or null when it can.</summary>
    public static string? CheckText(string? text, int maxLength)
    {
        if (text is null || !ShowsSomething(text))
        {
            return "Message text must not be empty.";
        }

        var codePoints = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return "Message text must not contain the NUL character.";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "Message text is not valid Unicode: it has an unpaired surrogate.";
            }

            codePoints++;
        }

        return codePoints > maxLength
            ? $"Message text is {codePoints} characters long; the limit is {maxLength}."
            : null;
    }

    public static string? CheckClientMessageId(string? clientMessageId, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(clientMessageId))
        {
            return "clientMessageId must not be empty.";
        }

        if (clientMessageId.Length > maxLength)
        {
            return $"clientMessageId is longer than {maxLength} characters.";
        }

        return HasControlOrUnpairedSurrogate(clientMessageId)
            ? "clientMessageId must be printable text."
            : null;
    }

    public const int MaxEmojiLength = 32;

    /// <summary>
    /// A reaction is a short token without spaces: an emoji, with its modifiers and joiners, or a name such as
    /// <c>:tada:</c>. Returns why it is not one, or null.
    /// </summary>
    public static string? CheckEmoji(string? emoji)
    {
        if (string.IsNullOrEmpty(emoji) || emoji.Length > MaxEmojiLength)
        {
            return $"emoji must be 1 to {MaxEmojiLength} characters.";
        }

        return emoji.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || HasUnpairedSurrogate(emoji)
            || !ShowsSomething(emoji)
            ? "emoji must be printable and have no spaces."
            : null;
    }

    /// <summary>
    /// Whether anything in <paramref name="text"/> leaves a mark: whitespace, invisible format characters (zero-width
    /// space, joiners, tags), combining marks and variation selectors on their own, and the blank fillers of Hangul
    /// and braille alone make an empty message or emoji. Judged per code point, so characters beyond the Basic
    /// Multilingual Plane count as themselves rather than as two surrogates.
    /// </summary>
    public static bool ShowsSomething(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsVisible(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsVisible(Rune rune) =>
        !Rune.IsWhiteSpace(rune)
        && rune.Value is not (0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800)
        && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.EnclosingMark or UnicodeCategory.SpaceSeparator);

    /// <summary>Whether <paramref name="text"/> holds a control character (NUL among them) or an unpaired surrogate.</summary>
    public static bool HasControlOrUnpairedSurrogate(string text) =>
        text.Any(char.IsControl) || HasUnpairedSurrogate(text);

    public static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The message id is a hash of the sender and the client's id, so every retry of one send carries the same id
    /// and the persistence inbox stores it once.
    /// </summary>
    public static Guid MessageIdFor(Guid senderId, string clientMessageId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{senderId:N}:{clientMessageId}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
