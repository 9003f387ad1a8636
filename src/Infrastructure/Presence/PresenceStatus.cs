namespace EventChat.Infrastructure.Presence;

/// <summary>
/// What other users may see of a user: online, or offline since <see cref="LastSeenAt"/>. An invisible user is
/// offline here, with the time of going invisible; <see cref="LastSeenAt"/> is null while online and for a user
/// never seen since the hot state began.
/// </summary>
public sealed record PresenceStatus(Guid UserId, bool Online, DateTimeOffset? LastSeenAt)
{
    public static PresenceStatus CameOnline(Guid userId) => new(userId, true, null);

    public static PresenceStatus WentOffline(Guid userId, DateTimeOffset at) => new(userId, false, at);
}
