namespace EventChat.Infrastructure.Presence;

/// <summary>The outcome of one look for dead edges: which were found, and whom their removal took offline.</summary>
public sealed record PresenceSweep(IReadOnlyList<string> DeadEdges, IReadOnlyList<PresenceStatus> Changes)
{
    public static PresenceSweep Nothing { get; } = new([], []);
}
