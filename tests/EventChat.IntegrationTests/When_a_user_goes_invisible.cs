using System.Net;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_user_goes_invisible(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_appear_offline_to_everyone_else_while_still_chatting()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        Assert.True(await OnlineAsync(bob, alice));

        await alice.SetInvisibleAsync(true);
        await Eventually.HoldsAsync(
            () => Task.FromResult(bob.PresenceChanges.Any(p => p.UserId == alice.UserId && !p.Online)),
            ChatClient.Soon, "bob is told alice went offline");
        var presence = await bob.PresenceOfAsync(alice.UserId);
        Assert.False(presence.GetProperty("online").GetBoolean());
        Assert.Equal(alice.UserName, presence.GetProperty("userName").GetString());
        Assert.NotEqual(default, presence.GetProperty("lastSeenAt").GetDateTimeOffset());
        Assert.DoesNotContain(alice.UserId, await RoomOnlineAsync(bob, room));

        await alice.SendAsync(room, "still", "still here, unseen");
        Assert.Equal("still", Assert.Single(await bob.WaitForMessagesAsync(room, 1)).ClientMessageId);

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, "/api/me/presence", new { invisible = false });
        await Eventually.HoldsAsync(
            () => Task.FromResult(bob.PresenceChanges.Any(p => p.UserId == alice.UserId && p.Online)),
            ChatClient.Soon, "bob is told alice is back online");
        Assert.True(await OnlineAsync(bob, alice));
        Assert.Contains(alice.UserId, await RoomOnlineAsync(bob, room));
    }

    private static async Task<bool> OnlineAsync(ChatClient observer, ChatClient user) =>
        (await observer.PresenceOfAsync(user.UserId)).GetProperty("online").GetBoolean();

    private static async Task<List<Guid>> RoomOnlineAsync(ChatClient observer, Guid room) =>
        (await observer.GetAsync($"/api/rooms/{room}/presence")).GetProperty("online").EnumerateArray()
        .Select(u => u.GetProperty("userId").GetGuid()).ToList();
}
