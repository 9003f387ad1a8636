using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_member_marks_a_room_read(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_move_the_watermark_forward_only_tell_the_room_and_drop_the_unread_count()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync(room, $"m{i}", $"message {i}");
        }

        var live = await bob.WaitForMessagesAsync(room, 3);
        Assert.Equal(3, await UnreadAsync(bob, room));

        Assert.Equal(live[1].Seq, await bob.MarkReadAsync(room, live[1].Seq));
        var receipt = await WaitForReceiptAsync(alice, bob, live[1].Seq);
        Assert.Equal((room, bob.UserName), (receipt.RoomId, receipt.UserName));
        Assert.Equal(1, await UnreadAsync(bob, room));
        Assert.Equal(live[1].Seq, await ReadSeqOfAsync(alice, room, bob));

        Assert.Equal(live[1].Seq, await bob.MarkReadAsync(room, live[0].Seq));
        Assert.Equal(live[2].Seq, await bob.MarkReadAsync(room, 1_000_000));
        await WaitForReceiptAsync(alice, bob, live[2].Seq);
        Assert.Equal(0, await UnreadAsync(bob, room));
        Assert.Equal(live[2].Seq, (await bob.RoomEntryAsync(room))!.Value.GetProperty("lastReadSeq").GetInt64());

        await Task.Delay(500);
        Assert.Equal([live[1].Seq, live[2].Seq], alice.ReadReceipts.Where(r => r.UserId == bob.UserId).Select(r => r.LastReadSeq));
    }

    private static async Task<int> UnreadAsync(ChatClient user, Guid room) =>
        (await user.RoomEntryAsync(room))!.Value.GetProperty("unreadCount").GetInt32();

    private static async Task<long> ReadSeqOfAsync(ChatClient reader, Guid room, ChatClient member) =>
        (await reader.GetAsync($"/api/rooms/{room}/members")).GetProperty("members").EnumerateArray()
        .Single(m => m.GetProperty("userId").GetGuid() == member.UserId).GetProperty("lastReadSeq").GetInt64();

    private static async Task<ReadReceipt> WaitForReceiptAsync(ChatClient observer, ChatClient reader, long seq)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(observer.ReadReceipts.Any(r => r.UserId == reader.UserId && r.LastReadSeq == seq)),
            ChatClient.Soon, $"{observer.UserName} is pushed {reader.UserName}'s read receipt at seq {seq}");
        return observer.ReadReceipts.First(r => r.UserId == reader.UserId && r.LastReadSeq == seq);
    }
}
