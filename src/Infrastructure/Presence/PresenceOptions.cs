namespace EventChat.Infrastructure.Presence;

public sealed class PresenceOptions
{
    /// <summary>A readable name for this edge (<c>Edge:Id</c>); a random suffix makes each start unique.</summary>
    public string EdgeName { get; set; } = Environment.MachineName;

    /// <summary>An edge that has not renewed its heartbeat for this long is dead, and its users are offline.</summary>
    public TimeSpan EdgeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
}
