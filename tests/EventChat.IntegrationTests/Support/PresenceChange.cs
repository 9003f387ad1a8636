namespace EventChat.IntegrationTests.Support;

/// <summary>The hub's <c>PresenceChanged</c>.</summary>
public sealed record PresenceChange(Guid UserId, string UserName, bool Online, DateTimeOffset? LastSeenAt);
