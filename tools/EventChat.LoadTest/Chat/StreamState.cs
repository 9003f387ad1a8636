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

    /// <summary>Records a position; answers false for a duplicate.</summary>
    public bool Record(long position, bool posted)
    {
        if (!Seen.Add(position))
        {
            Duplicates++;
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
}
