namespace EventChat.LoadTest.Chat;

/// <summary>
/// What one receiver saw of one ordered stream: a room's <c>seq</c> on EventChat, or one sender's counter on the
/// reference server. Duplicates and reordering are counted as they arrive; losses are counted at the end
/// against what should have arrived.
/// </summary>
public sealed class StreamState
{
    public HashSet<long> Seen { get; } = [];

    public HashSet<long> Posted { get; } = [];

    public long Max { get; private set; }

    public long Duplicates { get; private set; }

    public long OutOfOrder { get; private set; }

    /// <summary>Positions first seen through catch-up after a reconnect, whose live copy may still arrive.</summary>
    public HashSet<long> Recovered { get; } = [];

    /// <summary>Records a position delivered live; answers false for a duplicate.</summary>
    public bool Record(long position, bool posted)
    {
        if (!Seen.Add(position))
        {
            // A client that caught up drops the live copy of an event it already has, as the product's clients
            // do; only a second live copy is a duplicate.
            if (!Recovered.Remove(position))
            {
                Duplicates++;
            }

            return false;
        }

        if (position < Max)
        {
            OutOfOrder++;
        }
        else
        {
            Max = position;
        }

        if (posted)
        {
            Posted.Add(position);
        }

        return true;
    }

    /// <summary>
    /// Records a position returned by catch-up (<c>Sync</c>) after a reconnect; answers false when it was already
    /// seen. Catch-up fills gaps below what arrived live since, so it is not judged for order, and the live copy
    /// of a recovered event is not a duplicate either.
    /// </summary>
    public bool RecordRecovered(long position, bool posted)
    {
        if (!Seen.Add(position))
        {
            return false;
        }

        Recovered.Add(position);
        Max = Math.Max(Max, position);
        if (posted)
        {
            Posted.Add(position);
        }

        return true;
    }
}
