using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace EventChat.IntegrationTests;

/// <summary>
/// Stateful reconnect lets a client ride out a dropped socket without losing messages in flight. The client opts in
/// with <c>WithStatefulReconnect()</c>; the server must allow it, which it says in its negotiate answer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_client_uses_stateful_reconnect(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_be_offered_by_the_server_and_carry_the_chat_as_usual()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice", statefulReconnect: true);
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob", statefulReconnect: true);
        Assert.Equal(HubConnectionState.Connected, alice.Hub.State);

        var negotiated = await alice.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post,
            "/hubs/chat/negotiate?negotiateVersion=1&useStatefulReconnect=true");
        Assert.True(negotiated.TryGetProperty("useStatefulReconnect", out var offered) && offered.GetBoolean(),
            $"the edge does not offer stateful reconnect: {negotiated}");

        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await alice.SendAsync(room, "m", "over a stateful connection");
        Assert.Equal("m", Assert.Single(await bob.WaitForMessagesAsync(room, 1)).ClientMessageId);
    }
}
