namespace EventChat.IntegrationTests.Support;

/// <summary>Alice and Bob, each on an edge of their own, both joined to a room that Alice created.</summary>
public sealed record ChatPair(ChatClient Alice, ChatClient Bob, Guid Room) : IAsyncDisposable
{
    public static async Task<ChatPair> OpenAsync(Uri aliceEdge, Uri bobEdge)
    {
        var alice = await ChatClient.ConnectAsync(aliceEdge, "alice");
        var bob = await ChatClient.ConnectAsync(bobEdge, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        return new ChatPair(alice, bob, room);
    }

    public async ValueTask DisposeAsync()
    {
        await Alice.DisposeAsync();
        await Bob.DisposeAsync();
    }
}
