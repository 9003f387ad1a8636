using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_members_are_moderated(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_refuse_a_muted_members_messages_at_once_on_every_edge_until_unmuted()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        var spoken = await bob.SendAsync(room, "before", "the edge remembers bob is a member");
        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/rooms/{room}/mutes",
            new { userId = bob.UserId });
        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/rooms/{room}/bans",
            new { userId = bob.UserId, durationSeconds = 0 });
        await alice.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/rooms/{room}/mutes",
            new { userId = alice.UserId, durationSeconds = 60 });

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/mutes",
            new { userId = bob.UserId, durationSeconds = 600, reason = "cool down" });

        // The edges hear of the mute through Redis as it commits, long before the event has made its way through
        // the outbox, RabbitMQ and delivery; bob's edge remembered him as an unmuted member until then.
        var muted = await bob.WaitForEventAsync(room, e => e.Type == RoomEvent.MemberMuted, "member.muted");
        Assert.Equal((bob.UserId, alice.UserId), (muted.UserId, muted.ActorId));
        var refused = await Assert.ThrowsAsync<HubException>(() => bob.SendAsync(room, "muted", "can I talk?"));
        Assert.Contains($"You are muted in room {room} until ", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => bob.EditMessageAsync(room, spoken, "edited while muted"));
        Assert.InRange(muted.Until!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/rooms/{room}/mutes/{bob.UserId}");
        await bob.WaitForEventAsync(room, e => e.Type == RoomEvent.MemberUnmuted, "member.unmuted");
        await bob.SendAsync(room, "after", "free to talk again");
        await alice.WaitForMessagesAsync(room, 2);
        Assert.DoesNotContain(alice.Posted(room), e => e.Text == "can I talk?");
    }

    [Fact]
    public async Task Should_keep_a_banned_user_out_until_the_ban_ends()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var eve = await ChatClient.ConnectAsync(cluster.Edge2, "eve");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        await eve.JoinAsync(room);

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/bans",
            new { userId = eve.UserId, durationSeconds = 4 });

        var banned = await alice.WaitForEventAsync(room, e => e.Type == RoomEvent.MemberBanned, "member.banned");
        Assert.Equal(eve.UserId, banned.UserId);
        Assert.NotNull(banned.Until);
        await eve.WaitForEventAsync(room, e => e.Type == RoomEvent.MemberBanned, "member.banned, by eve");
        var bans = (await alice.GetAsync($"/api/rooms/{room}/bans")).GetProperty("bans");
        Assert.Equal(eve.UserId, bans.EnumerateArray().Single().GetProperty("userId").GetGuid());
        await Assert.ThrowsAsync<HubException>(() => eve.SendAsync(room, "x", "still in?"));
        var refused = await Assert.ThrowsAsync<HubException>(() => eve.JoinAsync(room));
        Assert.Contains("You are banned from room", refused.Message, StringComparison.Ordinal);

        await Eventually.HoldsAsync(
            async () => (await eve.RequestAsync(HttpMethod.Post, $"/api/rooms/{room}/join")).IsSuccessStatusCode,
            ChatClient.Soon, "eve may join once the ban ends");
        await eve.JoinAsync(room);
        await eve.SendAsync(room, "back", "back again");
        await alice.WaitForMessagesAsync(room, 1);
    }

    [Fact]
    public async Task Should_queue_reports_for_admins_and_resolve_them_with_an_outcome_in_an_append_only_log()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        var room = await alice.CreateRoomAsync();
        foreach (var user in new[] { alice, bob, carol })
        {
            await user.JoinAsync(room);
        }

        var message = await bob.SendAsync(room, "rude", "something rude");
        await carol.WaitForMessagesAsync(room, 1);
        var path = $"/api/rooms/{room}";
        var first = await carol.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post,
            $"{path}/messages/{message}/reports", new { reason = "rude" });
        var again = await carol.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/messages/{message}/reports",
            new { reason = "still rude" });
        Assert.Equal(first.GetProperty("reportId").GetGuid(), again.GetProperty("reportId").GetGuid());
        var report = first.GetProperty("reportId").GetGuid();

        var queue = (await alice.GetAsync($"{path}/reports")).GetProperty("reports");
        Assert.Equal((message, bob.UserId, carol.UserId), (queue[0].GetProperty("messageId").GetGuid(),
            queue[0].GetProperty("senderId").GetGuid(), queue[0].GetProperty("reporterId").GetGuid()));
        await alice.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"{path}/reports/{report}/resolve",
            new { outcome = "vaporised" });
        var resolved = await alice.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"{path}/reports/{report}/resolve",
            new { outcome = "deleted" });
        Assert.Equal(("resolved", "deleted"),
            (resolved.GetProperty("status").GetString(), resolved.GetProperty("outcome").GetString()));
        await alice.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"{path}/reports/{report}/resolve",
            new { outcome = "dismissed" });
        await carol.WaitForEventAsync(room, e => e.Type == RoomEvent.Deleted && e.MessageId == message, "the delete");
        Assert.Empty((await alice.GetAsync($"{path}/reports")).GetProperty("reports").EnumerateArray());

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"{path}/members/{bob.UserId}");
        var log = (await alice.GetAsync($"{path}/moderation-log")).GetProperty("actions").EnumerateArray()
            .Select(a => (a.GetProperty("action").GetString(), a.GetProperty("userId").GetGuid()))
            .ToList();
        Assert.Equal([("kick", bob.UserId), ("report.resolved", bob.UserId)], log);

        await using var db = new NpgsqlConnection(cluster.PostgresConnectionString);
        await db.OpenAsync();
        foreach (var change in new[]
                 {
                     $"UPDATE moderation_actions SET reason = 'nothing happened' WHERE room_id = '{room}'",
                     $"DELETE FROM moderation_actions WHERE room_id = '{room}'",
                 })
        {
            await using var command = new NpgsqlCommand(change, db);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }
    }
}
