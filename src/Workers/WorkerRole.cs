namespace EventChat.Workers;

/// <summary>The roles a worker process can take; one process may run any set of them.</summary>
[Flags]
public enum WorkerRole
{
    None = 0,
    Moderation = 1,
    Persistence = 2,
    Notifications = 4,

    /// <summary>Removes events and messages older than each room's retention period.</summary>
    Retention = 8,
    All = Moderation | Persistence | Notifications | Retention,
}
