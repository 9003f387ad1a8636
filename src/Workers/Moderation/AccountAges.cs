using System.Collections.Concurrent;
using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Workers.Moderation;

/// <summary>
/// When accounts were created, for the rule on links from new accounts. A creation time never changes, so each is
/// read once, and a batch reads all it lacks in one query.
/// </summary>
public sealed class AccountAges
{
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _createdAt = new();

    public DateTimeOffset? CreatedAt(Guid userId) => _createdAt.TryGetValue(userId, out var at) ? at : null;

    public async Task LoadAsync(ChatDbContext db, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        var missing = userIds.Where(id => !_createdAt.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (_createdAt.Count > MaxRemembered)
        {
            _createdAt.Clear();
        }

        var read = await db.Users.AsNoTracking()
            .Where(u => missing.Contains(u.Id))
            .Select(u => new { u.Id, u.CreatedAt })
            .ToListAsync(cancellationToken);
        foreach (var user in read)
        {
            _createdAt[user.Id] = user.CreatedAt;
        }
    }
}
