using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace EventChat.Workers.Moderation;

/// <summary>
/// Counts how many times in a row a user has sent the same text to a room, within a window that starts at the
/// run's first message. It lives in the moderation process's memory, one entry per user and room that sent in the
/// last window, so the rule costs no round trip; one moderation process per deployment sees every message.
/// </summary>
public sealed class RepeatTracker(TimeProvider clock)
{
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<(Guid User, Guid Room), Run> _runs = new();
    private int _calls;

    /// <summary>
    /// Counts <paramref name="messageId"/> (once, however often it is redelivered) in the user's run of
    /// <paramref name="foldedText"/> (the text as <see cref="BlockedWordFilter.Fold"/> gives it) in the room, and
    /// returns the run's length.
    /// </summary>
    public int Count(
        Guid userId, Guid roomId, Guid messageId, string foldedText, DateTimeOffset sentAt, TimeSpan window)
    {
        var hash = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(foldedText.AsSpan()));
        var run = _runs.GetOrAdd((userId, roomId), _ => new Run());
        int count;
        lock (run)
        {
            if (run.Hash != hash || sentAt - run.StartedAt >= window || sentAt < run.StartedAt)
            {
                run.Hash = hash;
                run.StartedAt = sentAt;
                run.Messages.Clear();
            }

            run.Messages.Add(messageId);
            run.LastSentAt = sentAt;
            count = run.Messages.Count;
        }

        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(window);
        }

        return count;
    }

    private void Sweep(TimeSpan window)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, run) in _runs)
        {
            if (now - run.LastSentAt > window + window)
            {
                _runs.TryRemove(new KeyValuePair<(Guid, Guid), Run>(key, run));
            }
        }
    }

    private sealed class Run
    {
        public ulong Hash { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        public DateTimeOffset LastSentAt { get; set; }

        public HashSet<Guid> Messages { get; } = [];
    }
}
