using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_rooms_are_listed(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_show_each_member_their_role_unread_count_and_the_last_message()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge2, "carol");
        await alice.SendAsync(room, "a1", "first from alice");
        var deleted = await alice.SendAsync(room, "a2", "deleted later");
        await alice.WaitForMessagesAsync(room, 2);
        await bob.SendAsync(room, "b1", "from bob");
        await alice.WaitForMessagesAsync(room, 3);
        var last = await alice.SendAsync(room, "a3", "last from alice");
        await alice.WaitForMessagesAsync(room, 4);
        await alice.DeleteMessageAsync(room, deleted);
        await alice.WaitForEventAsync(room, e => e.Type == RoomEvent.Deleted, "the deletion");
        var lastSeq = await alice.LastSeqAsync(room);

        var forBob = (await bob.RoomEntryAsync(room))!.Value;
        Assert.Equal("channel", forBob.GetProperty("kind").GetString());
        Assert.Equal("public", forBob.GetProperty("visibility").GetString());
        Assert.Equal("member", forBob.GetProperty("role").GetString());
        Assert.Equal(lastSeq, forBob.GetProperty("lastSeq").GetInt64());
        Assert.Equal(0, forBob.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(2, forBob.GetProperty("unreadCount").GetInt32());
        Assert.False(forBob.GetProperty("muted").GetBoolean());
        var lastMessage = forBob.GetProperty("lastMessage");
        Assert.Equal(last, lastMessage.GetProperty("messageId").GetGuid());
        Assert.Equal(pair.StartSeq + 4, lastMessage.GetProperty("seq").GetInt64());
        Assert.Equal(alice.UserId, lastMessage.GetProperty("senderId").GetGuid());
        Assert.Equal(alice.UserName, lastMessage.GetProperty("senderName").GetString());
        Assert.Equal("last from alice", lastMessage.GetProperty("text").GetString());

        var forAlice = (await alice.RoomEntryAsync(room))!.Value;
        Assert.Equal("owner", forAlice.GetProperty("role").GetString());
        Assert.Equal(1, forAlice.GetProperty("unreadCount").GetInt32());
        Assert.Null(await carol.RoomEntryAsync(room));

        var empty = await carol.CreateRoomAsync();
        var fresh = (await carol.RoomEntryAsync(empty))!.Value;
        Assert.Equal(0, fresh.GetProperty("lastSeq").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null,
            fresh.TryGetProperty("lastMessage", out var none) ? none.ValueKind : System.Text.Json.JsonValueKind.Null);
    }
}
