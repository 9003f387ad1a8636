using System.Collections.Concurrent;

namespace EventChat.Infrastructure.Redis;

public sealed class InMemoryDecisionMemory(TimeProvider clock) : IDecisionMemory
{
    private readonly ConcurrentDictionary<string, (string Decision, DateTimeOffset Until)> _decisions = new();

    public Task<string> RememberAsync(
        string key, string decision, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stored = _decisions.AddOrUpdate(
            key,
            _ => (decision, now + keepFor),
            (_, old) => old.Until > now ? old : (decision, now + keepFor));
        return Task.FromResult(stored.Decision);
    }
}
