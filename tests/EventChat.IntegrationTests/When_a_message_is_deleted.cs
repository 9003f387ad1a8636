using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_message_is_deleted(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_let_the_author_or_an_admin_leave_a_tombstone_and_erase_the_text()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        await carol.JoinAsync(room);
        var own = await bob.SendAsync(room, "own", "bob deletes this himself");
        var byAdmin = await bob.SendAsync(room, "admin", "carol deletes this as an admin");
        var byOwner = await carol.SendAsync(room, "owner", "alice deletes this as the owner");
        await alice.WaitForMessagesAsync(room, 3);
        await bob.ReactAsync(room, own, "👍");
        await alice.WaitForEventAsync(room, e => e.Type == RoomEvent.ReactionAdded, "bob's reaction");

        await Assert.ThrowsAsync<HubException>(() => carol.DeleteMessageAsync(room, own));
        await bob.DeleteMessageAsync(room, own);
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put,
            $"/api/rooms/{room}/members/{carol.UserId}/role", new { role = "admin" });
        await carol.DeleteMessageAsync(room, byAdmin);
        await alice.DeleteMessageAsync(room, byOwner);

        await Eventually.HoldsAsync(
            () => Task.FromResult(alice.Events.Count(e => e.Type == RoomEvent.Deleted) == 3), ChatClient.Soon,
            "alice is pushed three message.deleted events");
        var deleted = alice.Events.Where(e => e.Type == RoomEvent.Deleted).ToList();
        Assert.Equal(new[] { own, byAdmin, byOwner }.Order(), deleted.Select(e => e.MessageId!.Value).Order());
        Assert.Equal(bob.UserId, deleted.Single(e => e.MessageId == own).ActorId);
        Assert.Equal(carol.UserId, deleted.Single(e => e.MessageId == byAdmin).ActorId);
        Assert.Equal(alice.UserId, deleted.Single(e => e.MessageId == byOwner).ActorId);
        Assert.All(deleted, e => Assert.Null(e.Text));

        foreach (var id in new[] { own, byAdmin, byOwner })
        {
            var tombstone = await bob.MessageAsync(room, id);
            Assert.True(tombstone is { Deleted: true, Text: null, Reactions: [] }, tombstone.ToString());
            Assert.Equal("", await cluster.ScalarAsync("SELECT text FROM messages WHERE message_id = @id", ("id", id)));
        }

        await Assert.ThrowsAsync<HubException>(() => bob.EditMessageAsync(room, own, "too late"));
        await Assert.ThrowsAsync<HubException>(() => alice.ReplyAsync(room, "re", "to nothing", own));
    }
}
