namespace EventChat.Workers.Notifications;

/// <summary>
/// Why a user was notified of a message. A user gets one notification per message, of the first kind that
/// applies in this order: being named is the strongest reason, an answer to one's own message the next.
/// </summary>
public static class NotificationKinds
{
    public const string Mention = "mention";
    public const string Reply = "reply";
    public const string Direct = "direct";
}
