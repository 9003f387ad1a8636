using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

/// <summary>
/// Outsiders, removed and banned users, and plain members try to read or change what is not theirs, with ids they
/// guessed or saw elsewhere; the server refuses every attempt.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_others_reach_into_rooms(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_refuse_every_hub_method_and_endpoint_to_a_non_member()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge2, "mallory");
        var secret = await alice.CreateRoomAsync("private");
        await alice.JoinAsync(secret);
        var message = await alice.SendAsync(secret, "m", "for members only");
        await alice.WaitForMessagesAsync(secret, 1);
        await alice.ReactAsync(secret, message, "👍");
        await alice.WaitForEventAsync(secret, e => e.Type == RoomEvent.ReactionAdded, "the reaction");

        var room = $"/api/rooms/{secret}";
        foreach (var path in new[]
                 {
                     room, $"{room}/messages", $"{room}/events", $"{room}/members", $"{room}/presence",
                     $"{room}/messages/{message}/replies", $"{room}/reports", $"{room}/bans", $"{room}/moderation-log",
                 })
        {
            await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, path);
        }

        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{room}/join");
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Patch, room, new { name = "mine" });
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{room}/members", new { userId = mallory.UserId });
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"{room}/mute", new { muted = true });
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{room}/messages/{message}/reports", new { });
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{room}/bans", new { userId = alice.UserId });
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"{room}/mutes",
            new { userId = alice.UserId, durationSeconds = 60 });
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"{room}/members/{alice.UserId}");

        var notMember = $"You are not a member of room {secret}";
        await RefusedAsync(mallory, notMember, "SendMessage", secret.ToString(), "x", "hello");
        await RefusedAsync(mallory, notMember, "SendReply", secret.ToString(), "y", "hello", message.ToString());
        await RefusedAsync(mallory, notMember, "EditMessage", secret.ToString(), message.ToString(), "mine now");
        await RefusedAsync(mallory, notMember, "DeleteMessage", secret.ToString(), message.ToString());
        await RefusedAsync(mallory, notMember, "AddReaction", secret.ToString(), message.ToString(), "👎");
        await RefusedAsync(mallory, notMember, "RemoveReaction", secret.ToString(), message.ToString(), "👍");
        await RefusedAsync(mallory, notMember, "MarkRead", secret.ToString(), 1L);
        await RefusedAsync(mallory, notMember, "Typing", secret.ToString());
        await RefusedAsync(mallory, "does not exist, or it is private", "JoinRoom", secret.ToString());
        await RefusedAsync(mallory, "You are not a member", "LeaveRoom", secret.ToString());
        var sync = await mallory.SyncAsync([(secret, 0)]);
        Assert.NotNull(sync.Single().Error);
        Assert.Empty(sync.Single().Events ?? []);

        // Ids seen elsewhere do not reach across rooms: the message belongs to the secret room, not to hers.
        var own = await mallory.CreateRoomAsync();
        await mallory.JoinAsync(own);
        var elsewhere = $"Message {message} is not in room {own}";
        await RefusedAsync(mallory, elsewhere, "EditMessage", own.ToString(), message.ToString(), "mine now");
        await RefusedAsync(mallory, elsewhere, "DeleteMessage", own.ToString(), message.ToString());
        await RefusedAsync(mallory, elsewhere, "AddReaction", own.ToString(), message.ToString(), "👎");
        await RefusedAsync(mallory, elsewhere, "SendReply", own.ToString(), "z", "hi", message.ToString());
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/rooms/{own}/messages/{message}/replies");
        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post,
            $"/api/rooms/{own}/messages/{message}/reports", new { });

        var stored = await alice.MessageAsync(secret, message);
        Assert.Equal("for members only", stored.Text);
        Assert.Equal(1, stored.Reactions.Single().Count);
        Assert.False(stored.Deleted);
    }

    [Fact]
    public async Task Should_keep_notifications_and_read_state_to_their_owner()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge2, "mallory");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await mallory.JoinAsync(room);
        await bob.SendAsync(room, "mention", $"hello @{alice.UserName}");
        List<System.Text.Json.JsonElement> notifications = [];
        await Eventually.HoldsAsync(async () => (notifications = await alice.NotificationsListAsync()).Count == 1,
            ChatClient.Soon, "alice is notified");
        var id = notifications.Single().GetProperty("notificationId").GetGuid();

        await mallory.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/notifications/{id}/read");
        await mallory.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/api/notifications/read-all");
        Assert.Empty(await mallory.NotificationsListAsync());
        Assert.Single(await alice.NotificationsListAsync(unreadOnly: true));

        // A member moves only their own watermark.
        await mallory.MarkReadAsync(room, 100);
        var members = (await alice.GetAsync($"/api/rooms/{room}/members")).GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetGuid(), m => m.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(0, members[alice.UserId]);
        Assert.Equal(0, members[bob.UserId]);
        Assert.True(members[mallory.UserId] > 0);
    }

    [Fact]
    public async Task Should_refuse_admin_tools_to_plain_members_and_others_messages_to_them()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await carol.JoinAsync(room);
        var message = await alice.SendAsync(room, "a", "alice's words");
        await bob.WaitForMessagesAsync(room, 1);
        var reported = await carol.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post,
            $"/api/rooms/{room}/messages/{message}/reports", new { reason = "rude" });
        var report = reported.GetProperty("reportId").GetGuid();

        var path = $"/api/rooms/{room}";
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"{path}/reports");
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"{path}/reports/{report}/resolve",
            new { outcome = "deleted" });
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"{path}/bans");
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"{path}/moderation-log");
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"{path}/bans", new { userId = carol.UserId });
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"{path}/bans/{carol.UserId}");
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"{path}/mutes",
            new { userId = carol.UserId, durationSeconds = 60 });
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"{path}/mutes/{carol.UserId}");
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"{path}/members/{carol.UserId}");
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Put, $"{path}/members/{bob.UserId}/role",
            new { role = "admin" });
        await RefusedAsync(bob, "Only the author may edit", "EditMessage", room.ToString(), message.ToString(), "mine");
        await RefusedAsync(bob, "Only the author or a room admin", "DeleteMessage", room.ToString(), message.ToString());

        // An admin may not turn the tools on the owner.
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"{path}/members/{bob.UserId}/role",
            new { role = "admin" });
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"{path}/bans", new { userId = alice.UserId });
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"{path}/mutes",
            new { userId = alice.UserId, durationSeconds = 60 });
        Assert.Equal("open", (await bob.GetAsync($"{path}/reports")).GetProperty("reports")[0].GetProperty("status")
            .GetString());
        Assert.False((await alice.MessageAsync(room, message)).Deleted);
    }

    [Fact]
    public async Task Should_shut_out_removed_and_banned_users()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge2, "carol");
        await using var eve = await ChatClient.ConnectAsync(cluster.Edge2, "eve");
        var secret = await alice.CreateRoomAsync("private");
        var open = await alice.CreateRoomAsync();
        await alice.JoinAsync(secret);
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{secret}/members",
            new { userId = carol.UserId });
        await carol.JoinAsync(secret);
        await carol.SendAsync(secret, "before", "while a member");
        await eve.JoinAsync(open);
        await eve.SendAsync(open, "before", "while a member");

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/rooms/{secret}/members/{carol.UserId}");
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{open}/bans",
            new { userId = eve.UserId, reason = "spam" });

        await carol.WaitForEventAsync(secret, e => e.Type == RoomEvent.MemberRemoved, "member.removed");
        await eve.WaitForEventAsync(open, e => e.Type == RoomEvent.MemberBanned, "member.banned");
        await RefusedAsync(carol, $"You are not a member of room {secret}", "SendMessage", secret.ToString(), "after",
            "still here?");
        await carol.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/rooms/{secret}/messages");
        await RefusedAsync(eve, $"You are not a member of room {open}", "SendMessage", open.ToString(), "after",
            "still here?");
        await RefusedAsync(eve, "You are banned from room", "JoinRoom", open.ToString());
        await eve.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/rooms/{open}/join");
        await alice.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/rooms/{open}/members",
            new { userId = eve.UserId });
    }

    private static async Task RefusedAsync(ChatClient client, string reason, string method, params object?[] args)
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => client.InvokeVoidAsync(method, args));
        Assert.True(refused.Message.Contains(reason, StringComparison.Ordinal), $"{method}: {refused.Message}");
    }
}
