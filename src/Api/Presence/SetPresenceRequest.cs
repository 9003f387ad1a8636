namespace EventChat.Api.Presence;

/// <summary>The body of <c>PUT /api/me/presence</c>; nullable: a missing field is refused, not read as false.</summary>
public sealed record SetPresenceRequest(bool? Invisible);
