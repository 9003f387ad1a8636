namespace EventChat.Infrastructure.Presence;

/// <summary>
/// Timing of presence across edges. After an edge dies without a goodbye (SIGKILL, power loss), reads stop
/// counting its connections within <see cref="EdgeTimeout"/> of its last heartbeat, and the users it took
/// offline are pushed as offline, with their last-seen time recorded, within <see cref="OfflineBound"/>
/// (15 s + 5 s = 20 s by default) plus the time one sweep takes.
/// </summary>
public sealed class PresenceOptions
{
    /// <summary>A readable name for this edge (<c>Edge:Id</c>); a random suffix makes each start unique.</summary>
    public string EdgeName { get; set; } = Environment.MachineName;

    /// <summary>An edge that has not renewed its heartbeat for this long is dead, and its users are offline.</summary>
    public TimeSpan EdgeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often every edge looks for dead edges and removes their connections.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a killed edge's users stay online for others: timeout plus one sweep interval.</summary>
    public TimeSpan OfflineBound => EdgeTimeout + SweepInterval;

    public void Validate()
    {
        if (HeartbeatInterval <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                "Presence:HeartbeatInterval and Presence:SweepInterval must be positive.");
        }

        // One late or lost heartbeat must not be enough to declare a live edge dead.
        if (EdgeTimeout < HeartbeatInterval * 2)
        {
            throw new InvalidOperationException(
                "Presence:EdgeTimeout must be at least twice Presence:HeartbeatInterval.");
        }
    }
}
