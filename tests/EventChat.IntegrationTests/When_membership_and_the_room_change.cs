using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace EventChat.IntegrationTests;

/// <summary>Everything that happens to a room, not only its messages, takes the next seq of one ordered stream.</summary>
[Collection(ClusterCollection.Name)]
public sealed class When_membership_and_the_room_change(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_refuse_a_removed_member_at_once_on_the_edge_that_remembers_the_membership()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        // Edge 2 now remembers bob's membership, and would not ask the database again for a while.
        await bob.SendAsync(room, "before", "while still a member");
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/rooms/{room}/members/{bob.UserId}");

        // Edge 1 tells edge 2 through Redis; a notice takes milliseconds, the memory lasts 30 s.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await bob.SendAsync(room, $"after-{Guid.NewGuid():N}", "after being removed");
                return false;
            }
            catch (HubException ex) when (ex.Message.Contains("not a member", StringComparison.Ordinal))
            {
                return true;
            }
        }, TimeSpan.FromSeconds(5), "edge 2 refuses bob's messages once alice removed him on edge 1");
    }

    [Fact]
    public async Task Should_go_on_delivering_while_a_removed_members_closed_connection_never_answers()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var room = await alice.CreateRoomAsync();
        var other = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await alice.JoinAsync(other);
        await bob.JoinAsync(room);

        // Presence still lists a connection of bob's on edge 2 that has closed, as it does until an edge that
        // lost Redis while the connection closed gets through again. No edge answers a group removal for it.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Services.Redis);
        var roomKey = $"{cluster.RedisPrefix}:presence:room:{room:N}";
        var bobsEntry = (await redis.GetDatabase().HashGetAllAsync(roomKey))
            .Single(e => e.Value == bob.UserId.ToString("D"));
        var edge2 = ((string)bobsEntry.Name!).Split('|')[0];
        await redis.GetDatabase().HashSetAsync(roomKey, $"{edge2}|closed-{Guid.NewGuid():N}", bob.UserId.ToString("D"));

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/rooms/{room}/members/{bob.UserId}");
        await alice.WaitForEventAsync(room, e => e.Type == RoomEvent.MemberRemoved, "bob's removal");

        // SignalR waits 30 s for an answer that never comes; deliveries after the removal must not wait with it.
        await alice.SendAsync(other, "other-room", "in another room, just after the removal");
        await alice.SendAsync(room, "same-room", "in the room bob was removed from");
        await alice.WaitForMessagesAsync(other, 1, TimeSpan.FromSeconds(10));
        await alice.WaitForMessagesAsync(room, 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Should_number_every_change_in_one_gap_free_stream_that_events_returns()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        await using var dave = await ChatClient.ConnectAsync(cluster.Edge2, "dave");
        var room = await alice.CreateRoomAsync();
        Assert.Equal(0, await alice.LastSeqAsync(room));
        Assert.Equal(0, await alice.JoinAsync(room));

        Assert.Equal(1, await bob.JoinAsync(room));
        await carol.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/join");
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/members",
            new { userId = dave.UserId });
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/members",
            new { userId = dave.UserId });
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put,
            $"/api/rooms/{room}/members/{bob.UserId}/role", new { role = "admin" });
        await bob.SendAsync(room, "hello", "a message between the changes");
        await alice.WaitForLastSeqAsync(room, 5);
        var renamed = await alice.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/rooms/{room}",
            new { name = "Renamed Room" });
        Assert.Equal("Renamed Room", renamed.GetProperty("name").GetString());
        await bob.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/rooms/{room}/members/{dave.UserId}");
        await carol.JoinAsync(room);
        await carol.LeaveAsync(room);

        var expected = new (string Type, Guid Actor, Guid? User, string? Role)[]
        {
            (RoomEvent.MemberJoined, bob.UserId, bob.UserId, "member"),
            (RoomEvent.MemberJoined, carol.UserId, carol.UserId, "member"),
            (RoomEvent.MemberAdded, alice.UserId, dave.UserId, "member"),
            (RoomEvent.MemberRoleChanged, alice.UserId, bob.UserId, "admin"),
            (RoomEvent.Posted, bob.UserId, null, null),
            (RoomEvent.RoomRenamed, alice.UserId, null, null),
            (RoomEvent.MemberRemoved, bob.UserId, dave.UserId, null),
            (RoomEvent.MemberLeft, carol.UserId, carol.UserId, null),
        };
        var page = await alice.EventsAsync(room);
        Assert.Equal(expected.Length, page.LastSeq);
        Assert.False(page.HasMore);
        Assert.Null(page.Truncated);
        Streams.AssertGapFree(page.EventsOrEmpty, 0, expected.Length, "GET /events");
        Assert.Equal(expected, page.EventsOrEmpty.Select(e => (e.Type, e.ActorId, e.UserId, e.Role)));
        Assert.Equal("Renamed Room", page.EventsOrEmpty.Single(e => e.Type == RoomEvent.RoomRenamed).RoomName);
        Assert.Equal(dave.UserName, page.EventsOrEmpty.Single(e => e.Type == RoomEvent.MemberRemoved).UserName);
        Assert.Equal(expected.Length, await bob.LastSeqAsync(room));

        var live = await alice.WaitForSeqAsync(room, expected.Length);
        Assert.Equal(page.EventsOrEmpty, live);

        var first = await alice.EventsAsync(room, afterSeq: 0, limit: 3);
        Assert.True(first.HasMore);
        Assert.Equal([1L, 2L, 3L], first.EventsOrEmpty.Select(e => e.Seq));
        var rest = await alice.EventsAsync(room, afterSeq: 3, limit: 500);
        Assert.False(rest.HasMore);
        Streams.AssertGapFree(rest.EventsOrEmpty, 3, expected.Length, "GET /events after seq 3");

        var members = (await alice.GetAsync($"/api/rooms/{room}/members")).GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetGuid(), m => m.GetProperty("role").GetString());
        Assert.Equal(new Dictionary<Guid, string?> { [alice.UserId] = "owner", [bob.UserId] = "admin" }, members);
    }
}
