namespace EventChat.IntegrationTests.Support;

public static class Streams
{
    /// <summary>Checks that <paramref name="events"/> are exactly the seqs after <paramref name="afterSeq"/> up to
    /// <paramref name="lastSeq"/>, each once and in order.</summary>
    public static void AssertGapFree(IEnumerable<RoomEvent> events, long afterSeq, long lastSeq, string what)
    {
        var seqs = events.Select(e => e.Seq).ToList();
        var expected = Enumerable.Range(0, (int)(lastSeq - afterSeq)).Select(i => afterSeq + 1 + i).ToList();
        Assert.True(expected.SequenceEqual(seqs),
            $"{what}: expected seqs {afterSeq + 1}..{lastSeq} in order, got [{string.Join(",", seqs)}]");
    }
}
