namespace EventChat.Contracts;

/// <summary>
/// An owner, an admin or the moderation worker acted on a room: the same entry as the room's append-only
/// moderation log, published for integrators. <see cref="ActionId"/> identifies it, so a republish can be dropped.
/// </summary>
/// <remarks>
/// <see cref="Action"/> is one of <see cref="ModerationActions"/>. <see cref="ActorId"/> is null for an automatic
/// action; <see cref="Until"/> is when a ban or mute ends (null for a ban for good).
/// </remarks>
public sealed record ModerationActionTaken(
    Guid ActionId,
    Guid RoomId,
    string Action,
    Guid? ActorId,
    string? ActorName,
    Guid? UserId,
    Guid? MessageId,
    Guid? ReportId,
    string? Reason,
    DateTimeOffset? Until,
    DateTimeOffset OccurredAt);
