namespace EventChat.Workers;

/// <summary>The roles a worker process can take; one process may run any set of them.</summary>
[Flags]
public enum WorkerRole
{
    None = 0,
    Moderation = 1,
    Persistence = 2,
    Notifications = 4,
    All = Moderation | Persistence | Notifications,
}
