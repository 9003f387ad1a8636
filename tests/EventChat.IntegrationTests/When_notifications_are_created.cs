using System.Net;
using System.Text.Json;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_notifications_are_created(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_notify_a_reply_to_its_author_and_a_direct_message_to_an_offline_user()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var question = await alice.SendAsync(room, "q", "anyone?");
        await bob.WaitForMessagesAsync(room, 1);
        var reply = await bob.ReplyAsync(room, "a", "me", question);

        var pushed = await WaitForNotificationAsync(alice, n => Kind(n) == "reply", "a reply notification");
        Assert.Equal(reply, pushed.GetProperty("messageId").GetGuid());
        Assert.Equal(room, pushed.GetProperty("roomId").GetGuid());
        Assert.Equal(bob.UserId, pushed.GetProperty("senderId").GetGuid());
        Assert.Equal(pair.StartSeq + 2, pushed.GetProperty("seq").GetInt64());
        Assert.Empty(bob.Notifications);

        var dm = (await alice.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/dms", new { userId = bob.UserId }))
            .GetProperty("roomId").GetGuid();
        await bob.CloseHubAsync();
        await alice.JoinAsync(dm);
        var direct = await alice.SendAsync(dm, "dm", "call me when you are back");

        await Eventually.HoldsAsync(
            async () => (await bob.NotificationsListAsync()).Any(n => Kind(n) == "direct"),
            ChatClient.Soon, "bob, offline, has a direct-message notification waiting");
        var waiting = (await bob.NotificationsListAsync()).Single(n => Kind(n) == "direct");
        Assert.Equal((dm, direct, alice.UserId),
            (waiting.GetProperty("roomId").GetGuid(), waiting.GetProperty("messageId").GetGuid(),
                waiting.GetProperty("senderId").GetGuid()));
        Assert.Equal(JsonValueKind.Null, ReadAt(waiting));
    }

    [Fact]
    public async Task Should_mark_one_or_all_read_and_create_none_in_a_muted_room()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        var muted = await alice.CreateRoomAsync();
        await bob.JoinAsync(muted);
        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync(room, $"m{i}", $"@{bob.UserName} number {i}");
        }

        await Eventually.HoldsAsync(() => Task.FromResult(bob.Notifications.Count == 3), ChatClient.Soon,
            "bob is pushed three mention notifications");
        var first = bob.Notifications.First().GetProperty("notificationId").GetGuid();
        await bob.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/notifications/{first}/read");
        Assert.Equal(2, (await bob.NotificationsListAsync(unreadOnly: true)).Count);
        var read = (await bob.NotificationsListAsync()).Single(n => n.GetProperty("notificationId").GetGuid() == first);
        Assert.Equal(JsonValueKind.String, ReadAt(read));
        await bob.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/api/notifications/read-all");
        Assert.Empty(await bob.NotificationsListAsync(unreadOnly: true));
        Assert.Equal(3, (await bob.NotificationsListAsync()).Count);

        await bob.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/rooms/{muted}/mute", new { muted = true });
        Assert.True((await bob.RoomEntryAsync(muted))!.Value.GetProperty("muted").GetBoolean());
        await alice.SendAsync(muted, "quiet", $"@{bob.UserName} you will not hear of this");
        await bob.WaitForMessagesAsync(muted, 1);
        await alice.SendAsync(room, "loud", $"@{bob.UserName} but of this you will");
        await Eventually.HoldsAsync(() => Task.FromResult(bob.Notifications.Count == 4), ChatClient.Soon,
            "bob is pushed the mention from the room he did not mute");

        await Task.Delay(1000);
        Assert.DoesNotContain(bob.Notifications, n => n.GetProperty("roomId").GetGuid() == muted);
        Assert.DoesNotContain(await bob.NotificationsListAsync(), n => n.GetProperty("roomId").GetGuid() == muted);
    }

    private static string? Kind(JsonElement notification) => notification.GetProperty("kind").GetString();

    private static JsonValueKind ReadAt(JsonElement notification) =>
        notification.TryGetProperty("readAt", out var readAt) ? readAt.ValueKind : JsonValueKind.Null;

    private static async Task<JsonElement> WaitForNotificationAsync(
        ChatClient user, Func<JsonElement, bool> match, string what)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(user.Notifications.Any(match)), ChatClient.Soon,
            $"{user.UserName} is pushed {what}");
        return user.Notifications.First(match);
    }
}
