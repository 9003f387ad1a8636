using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_users_open_direct_messages(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_give_a_pair_one_private_room_whichever_side_opens_it()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge2, "mallory");

        var opened = await alice.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/dms", new { userId = bob.UserId });
        Assert.Equal("direct", opened.GetProperty("kind").GetString());
        var dm = opened.GetProperty("roomId").GetGuid();
        var fromBob = await bob.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/dms", new { userId = alice.UserId });
        Assert.Equal(dm, fromBob.GetProperty("roomId").GetGuid());
        var again = await alice.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/dms", new { userId = bob.UserId });
        Assert.Equal(dm, again.GetProperty("roomId").GetGuid());

        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/dms", new { userId = alice.UserId });
        await alice.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/api/dms", new { userId = Guid.NewGuid() });
        await alice.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/rooms/{dm}/members",
            new { userId = mallory.UserId });
        await bob.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Patch, $"/api/rooms/{dm}", new { name = "ours" });

        var room = await bob.GetAsync($"/api/rooms/{dm}");
        Assert.Equal("direct", room.GetProperty("kind").GetString());
        Assert.Equal("private", room.GetProperty("visibility").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, room.GetProperty("ownerId").ValueKind);
        Assert.Equal("direct", (await bob.RoomEntryAsync(dm))?.GetProperty("kind").GetString());

        await alice.JoinAsync(dm);
        await bob.JoinAsync(dm);
        await alice.SendAsync(dm, "hi", "just between us");
        Assert.Equal("just between us", Assert.Single(await bob.WaitForMessagesAsync(dm, 1)).Text);

        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/rooms/{dm}/messages");
        await Assert.ThrowsAsync<HubException>(() => mallory.JoinAsync(dm));
        Assert.Null(await mallory.RoomEntryAsync(dm));
    }

    [Fact]
    public async Task Should_open_a_private_group_owned_by_whoever_opens_it()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge2, "mallory");

        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/dms/group",
            new { userIds = new[] { bob.UserId } });
        var opened = await alice.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/dms/group",
            new { userIds = new[] { bob.UserId, carol.UserId } });
        Assert.Equal("group", opened.GetProperty("kind").GetString());
        var group = opened.GetProperty("roomId").GetGuid();

        var room = await carol.GetAsync($"/api/rooms/{group}");
        Assert.Equal("group", room.GetProperty("kind").GetString());
        Assert.Equal("private", room.GetProperty("visibility").GetString());
        Assert.Equal(alice.UserId, room.GetProperty("ownerId").GetGuid());

        await bob.JoinAsync(group);
        await carol.JoinAsync(group);
        await carol.SendAsync(group, "hi", "hello group");
        Assert.Equal("hello group", Assert.Single(await bob.WaitForMessagesAsync(group, 1)).Text);
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/rooms/{group}/messages");
    }
}
