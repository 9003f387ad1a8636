using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_member_is_mentioned(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_store_a_notification_and_push_it_while_they_are_online()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        await alice.SendAsync(room, "hey", $"hello @{bob.UserName.ToUpperInvariant()}, and @nobody-here");

        await Eventually.HoldsAsync(() => Task.FromResult(!bob.Notifications.IsEmpty), ChatClient.Timeout,
            "bob is pushed a mention notification");
        var pushed = Assert.Single(bob.Notifications);
        Assert.Equal("mention", pushed.GetProperty("kind").GetString());
        Assert.Equal(room, pushed.GetProperty("roomId").GetGuid());
        Assert.Equal(alice.UserId, pushed.GetProperty("senderId").GetGuid());

        var listed = (await bob.GetAsync("/api/notifications")).GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(pushed.GetProperty("notificationId").GetGuid(), Assert.Single(listed).GetProperty("notificationId").GetGuid());
        Assert.Empty((await alice.GetAsync("/api/notifications")).GetProperty("notifications").EnumerateArray());
    }
}
