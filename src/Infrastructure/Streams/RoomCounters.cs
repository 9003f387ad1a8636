using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Infrastructure.Streams;

/// <summary>A room's last sequence number as read under its row lock.</summary>
public sealed class RoomCounter
{
    public Guid RoomId { get; init; }

    public long LastSeq { get; set; }
}

/// <summary>
/// The counters of the rooms a batch has locked: numbers are handed out in memory and written back in one
/// statement before the batch commits.
/// </summary>
public sealed class RoomCounters
{
    private readonly ChatDbContext _db;
    private readonly Dictionary<Guid, RoomCounter> _rooms;
    private readonly HashSet<Guid> _advanced = [];

    internal RoomCounters(ChatDbContext db, IEnumerable<RoomCounter> rooms)
    {
        _db = db;
        _rooms = rooms.ToDictionary(r => r.RoomId);
    }

    public bool Has(Guid roomId) => _rooms.ContainsKey(roomId);

    /// <summary>The room's next number. The room must be one of those locked.</summary>
    public long Next(Guid roomId)
    {
        var counter = _rooms.TryGetValue(roomId, out var found)
            ? found
            : throw new InvalidOperationException($"Room {roomId} was not locked by this batch.");
        _advanced.Add(roomId);
        return ++counter.LastSeq;
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (_advanced.Count == 0)
        {
            return;
        }

        var ids = _advanced.ToArray();
        var seqs = Array.ConvertAll(ids, id => _rooms[id].LastSeq);
        if (_db.IsPostgres)
        {
            await _db.Database.ExecuteSqlAsync(
                $"UPDATE rooms SET last_seq = v.seq FROM unnest({ids}, {seqs}) AS v(id, seq) WHERE rooms.id = v.id",
                cancellationToken);
            return;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var (id, seq) = (ids[i], seqs[i]);
            await _db.Rooms.Where(r => r.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, seq), cancellationToken);
        }
    }
}
