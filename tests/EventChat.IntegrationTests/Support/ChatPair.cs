namespace EventChat.IntegrationTests.Support;

/// <summary>
/// Alice and Bob, each on an edge of their own, both joined to a public room that Alice created. Bob's joining is
/// the room's first event, so the first message is numbered <see cref="StartSeq"/> + 1.
/// </summary>
public sealed record ChatPair(ChatClient Alice, ChatClient Bob, Guid Room, long StartSeq) : IAsyncDisposable
{
    public static async Task<ChatPair> OpenAsync(Uri aliceEdge, Uri bobEdge)
    {
        var alice = await ChatClient.ConnectAsync(aliceEdge, "alice");
        var bob = await ChatClient.ConnectAsync(bobEdge, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        var startSeq = await bob.JoinAsync(room);
        return new ChatPair(alice, bob, room, startSeq);
    }

    /// <summary>The seqs the next <paramref name="count"/> events of the room will take.</summary>
    public IEnumerable<long> NextSeqs(int count) => Enumerable.Range(1, count).Select(i => StartSeq + i);

    public void Deconstruct(out ChatClient alice, out ChatClient bob, out Guid room)
    {
        alice = Alice;
        bob = Bob;
        room = Room;
    }

    public async ValueTask DisposeAsync()
    {
        await Alice.DisposeAsync();
        await Bob.DisposeAsync();
    }
}
