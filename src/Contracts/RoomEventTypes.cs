namespace EventChat.Contracts;

/// <summary>The values of <see cref="RoomEvent.Type"/>, and the fields each one sets.</summary>
public static class RoomEventTypes
{
    /// <summary>MessageId, ClientMessageId, Text, SentAt, and ReplyToMessageId for a reply. The actor is the sender.</summary>
    public const string MessagePosted = "message.posted";

    /// <summary>MessageId and the new Text.</summary>
    public const string MessageEdited = "message.edited";

    /// <summary>MessageId. The text and reactions are gone.</summary>
    public const string MessageDeleted = "message.deleted";

    /// <summary>MessageId, Emoji, and Count: how many users have that reaction on the message now.</summary>
    public const string ReactionAdded = "reaction.added";

    /// <summary>MessageId, Emoji and the new Count.</summary>
    public const string ReactionRemoved = "reaction.removed";

    /// <summary>UserId, UserName and Role of a user who joined a public room. The actor is the user.</summary>
    public const string MemberJoined = "member.joined";

    /// <summary>UserId and UserName of a member who left. The actor is the member.</summary>
    public const string MemberLeft = "member.left";

    /// <summary>UserId, UserName and Role of a user the actor added.</summary>
    public const string MemberAdded = "member.added";

    /// <summary>UserId and UserName of a member the actor removed.</summary>
    public const string MemberRemoved = "member.removed";

    /// <summary>UserId, UserName and the new Role.</summary>
    public const string MemberRoleChanged = "member.role_changed";

    /// <summary>
    /// UserId and UserName of a user the actor banned, and Until, when the ban ends (null: for good). A member
    /// loses the membership with it.
    /// </summary>
    public const string MemberBanned = "member.banned";

    /// <summary>UserId, UserName and Until of a member whose messages the room refuses until then.</summary>
    public const string MemberMuted = "member.muted";

    /// <summary>UserId and UserName of a member whose mute the actor lifted early.</summary>
    public const string MemberUnmuted = "member.unmuted";

    /// <summary>RoomName: the new name.</summary>
    public const string RoomRenamed = "room.renamed";
}
