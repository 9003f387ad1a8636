namespace EventChat.Infrastructure.Redis;

/// <summary>
/// Remembers the first answer given for a key, so that a redelivered message gets the same decision as the
/// first delivery whatever has changed since.
/// </summary>
public interface IDecisionMemory
{
    /// <summary>Stores <paramref name="decision"/> unless one is there already; returns the one that is stored.</summary>
    Task<string> RememberAsync(string key, string decision, TimeSpan keepFor, CancellationToken cancellationToken);
}
