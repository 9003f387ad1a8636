using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_two_clients_chat_across_edges(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_deliver_all_100_messages_in_seq_order_and_agree_with_history()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        for (var i = 0; i < 100; i++)
        {
            await alice.SendAsync(room, $"m{i}", $"message {i} from alice");
        }

        var live = await bob.WaitForMessagesAsync(room, 100);
        Assert.Equal(pair.NextSeqs(100), live.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), live.Select(m => m.ClientMessageId));

        var history = await bob.FullHistoryAsync(room);
        Assert.Equal(live.Select(e => e.AsPosted()), history.Select(m => m.AsPosted()));
        Assert.All(history, m => Assert.True(m is { Deleted: false, EditedAt: null, Reactions: [] }));

        await Task.Delay(500);
        Assert.Equal(100, bob.Posted(room).Count);
    }

    [Fact]
    public async Task Should_store_a_retried_client_message_id_once()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        var first = await alice.SendAsync(room, "same-id", "said once, sent three times");
        var second = await alice.SendAsync(room, "same-id", "said once, sent three times");
        await alice.OpenHubAsync(cluster.Edge2);
        var third = await alice.SendAsync(room, "same-id", "said once, sent three times");
        await alice.SendAsync(room, "marker", "after the retries");

        var live = await bob.WaitForMessagesAsync(room, 2);
        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal(["same-id", "marker"], live.Select(m => m.ClientMessageId));

        await Task.Delay(1000);
        var history = await bob.FullHistoryAsync(room);
        Assert.Equal(["same-id", "marker"], history.Select(m => m.ClientMessageId));
        Assert.Equal(pair.NextSeqs(2), history.Select(m => m.Seq));
        Assert.Equal(2, bob.Posted(room).Count);
    }

    [Fact]
    public async Task Should_keep_a_blocked_word_message_from_everyone_and_tell_the_sender()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;

        await alice.SendAsync(room, "bad", $"this is {ClusterFixture.BlockedWord.ToUpperInvariant()} talk");
        await alice.SendAsync(room, "good", "this is fine");

        var live = await bob.WaitForMessagesAsync(room, 1);
        await Eventually.HoldsAsync(() => Task.FromResult(!alice.Rejected.IsEmpty), ChatClient.Timeout,
            "alice is told her message was rejected");
        var rejection = Assert.Single(alice.Rejected);
        Assert.Equal("bad", rejection.ClientMessageId);
        Assert.Contains("blocked word", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("send", rejection.Request);
        Assert.Empty(bob.Rejected);

        await Task.Delay(500);
        Assert.Equal(["good"], live.Select(m => m.ClientMessageId));
        Assert.Equal(["good"], bob.Posted(room).Select(m => m.ClientMessageId));
        var history = await bob.FullHistoryAsync(room);
        Assert.Equal(["good"], history.Select(m => m.ClientMessageId));
        Assert.Equal(pair.StartSeq + 1, history[0].Seq);
    }

    [Fact]
    public async Task Should_store_and_return_text_byte_for_byte()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        string[] texts =
        [
            "<script>alert('x')</script> & \"quotes\"",
            "emoji 👩‍👩‍👧‍👦 and flags 🇫🇷, astral 𝕏",
            "עברית mixed with English",
            "e\u0301 composed differently from \u00e9",
            "tabs\tand\r\nnew lines  and   spaces ",
            "'; DROP TABLE messages; --",
            new string('x', 4000),
        ];

        for (var i = 0; i < texts.Length; i++)
        {
            await alice.SendAsync(room, $"t{i}", texts[i]);
        }

        var live = await bob.WaitForMessagesAsync(room, texts.Length);
        Assert.Equal(texts, live.Select(m => m.Text));
        Assert.Equal(texts, (await bob.FullHistoryAsync(room)).Select(m => m.Text));
    }

}
