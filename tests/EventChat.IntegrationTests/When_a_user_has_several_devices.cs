using System.Net;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// Bob is on his laptop (edge 1) and his phone (edge 2). He is online while either is connected, and the room
/// he shares with Alice hears about it only when the last one goes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_a_user_has_several_devices(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_stay_online_until_the_last_device_disconnects_and_then_show_when_he_was_last_seen()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bobLaptop = await ChatClient.ConnectAsync(cluster.Edge1, "bob");
        await using var bobPhone = await bobLaptop.ConnectAgainAsync(cluster.Edge2);
        var room = await alice.CreateRoomAsync("private");
        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/members",
            new { userId = bobLaptop.UserId });
        await alice.JoinAsync(room);

        Assert.True(await OnlineAsync(alice, bobLaptop));

        await bobLaptop.CloseHubAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(await OnlineAsync(alice, bobLaptop), "bob's phone is still connected, so bob is online");
        Assert.DoesNotContain(alice.PresenceChanges, p => p.UserId == bobLaptop.UserId && !p.Online);

        var closedAt = DateTimeOffset.UtcNow;
        await bobPhone.CloseHubAsync();
        await Eventually.HoldsAsync(
            () => Task.FromResult(alice.PresenceChanges.Any(p => p.UserId == bobLaptop.UserId && !p.Online)),
            ChatClient.Soon, "alice, who shares a private room with bob, is pushed that he went offline");
        var pushed = alice.PresenceChanges.First(p => p.UserId == bobLaptop.UserId && !p.Online);
        Assert.Equal(bobLaptop.UserName, pushed.UserName);
        Assert.InRange(pushed.LastSeenAt!.Value, closedAt.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        var presence = await alice.PresenceOfAsync(bobLaptop.UserId);
        Assert.False(presence.GetProperty("online").GetBoolean(), presence.ToString());
        var lastSeen = presence.GetProperty("lastSeenAt").GetDateTimeOffset();
        Assert.InRange(lastSeen, pushed.LastSeenAt.Value.AddSeconds(-1), pushed.LastSeenAt.Value.AddSeconds(1));

        await bobPhone.OpenHubAsync(cluster.Edge2);
        await Eventually.HoldsAsync(
            () => Task.FromResult(alice.PresenceChanges.Any(p => p.UserId == bobLaptop.UserId && p.Online)),
            ChatClient.Soon, "alice is pushed that bob is back");
        Assert.True(await OnlineAsync(alice, bobLaptop));
    }

    private static async Task<bool> OnlineAsync(ChatClient observer, ChatClient user) =>
        (await observer.PresenceOfAsync(user.UserId)).GetProperty("online").GetBoolean();
}
