namespace EventChat.IntegrationTests.Support;

/// <summary>
/// One entry of a room's stream as a client reads it off the wire (hub event <c>RoomEvent</c>, Sync and
/// <c>/events</c>). The tests keep their own copy rather than the product's contract type, so that a change to
/// the JSON shows up here as a failure instead of passing silently on both sides.
/// </summary>
public sealed record RoomEvent(
    Guid RoomId,
    long Seq,
    string Type,
    DateTimeOffset OccurredAt,
    Guid ActorId,
    string ActorName,
    Guid? MessageId = null,
    string? ClientMessageId = null,
    string? Text = null,
    Guid? ReplyToMessageId = null,
    DateTimeOffset? SentAt = null,
    string? Emoji = null,
    int? Count = null,
    Guid? UserId = null,
    string? UserName = null,
    string? Role = null,
    string? RoomName = null,
    DateTimeOffset? Until = null)
{
    public const string Posted = "message.posted";
    public const string Edited = "message.edited";
    public const string Deleted = "message.deleted";
    public const string ReactionAdded = "reaction.added";
    public const string ReactionRemoved = "reaction.removed";
    public const string MemberJoined = "member.joined";
    public const string MemberLeft = "member.left";
    public const string MemberAdded = "member.added";
    public const string MemberRemoved = "member.removed";
    public const string MemberRoleChanged = "member.role_changed";
    public const string RoomRenamed = "room.renamed";
    public const string MemberBanned = "member.banned";
    public const string MemberMuted = "member.muted";
    public const string MemberUnmuted = "member.unmuted";

    /// <summary>The fields a posted message shares with its history entry, for comparing the two.</summary>
    public PostedMessage AsPosted() =>
        new(RoomId, Seq, MessageId ?? Guid.Empty, ClientMessageId ?? "", ActorId, ActorName, Text, ReplyToMessageId,
            SentAt ?? default);
}
