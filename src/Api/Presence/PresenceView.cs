namespace EventChat.Api.Presence;

/// <summary>
/// A user's status as other users see it, pushed as <c>PresenceChanged</c> and returned by
/// <c>GET /api/users/presence</c>. An invisible user is offline, with the time of going invisible as
/// <see cref="LastSeenAt"/>; it is null while online, and for a user not seen since the hot state began.
/// </summary>
public sealed record PresenceView(Guid UserId, string UserName, bool Online, DateTimeOffset? LastSeenAt);
