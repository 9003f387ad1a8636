using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_a_member_is_typing(ClusterFixture cluster)
{
    /// <summary>The contract's throttle: at most one typing signal per user per room in this window.</summary>
    private static readonly TimeSpan Throttle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Should_tell_the_others_at_most_once_per_window_and_store_nothing()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        await carol.JoinAsync(room);
        var lastSeq = await alice.LastSeqAsync(room);

        var first = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await bob.TypingAsync(room);
        }

        foreach (var observer in new[] { alice, carol })
        {
            await Eventually.HoldsAsync(() => Task.FromResult(observer.Typing.Any(t => t.UserId == bob.UserId)),
                ChatClient.Soon, $"{observer.UserName} is told that bob is typing");
            var typing = observer.Typing.First();
            Assert.Equal((room, bob.UserName), (typing.RoomId, typing.UserName));
        }

        await UntilAsync(first, Throttle - TimeSpan.FromMilliseconds(300));
        Assert.Single(alice.Typing);
        Assert.Single(carol.Typing);
        Assert.Empty(bob.Typing);

        await UntilAsync(first, Throttle + TimeSpan.FromMilliseconds(500));
        await bob.TypingAsync(room);
        await Eventually.HoldsAsync(() => Task.FromResult(alice.Typing.Count == 2), ChatClient.Soon,
            "a typing signal after the window reaches alice again");

        Assert.Equal(lastSeq, await alice.LastSeqAsync(room));
        Assert.Empty((await alice.EventsAsync(room, lastSeq)).EventsOrEmpty);

        await using var mallory = await ChatClient.ConnectAsync(cluster.Edge2, "mallory");
        var secret = await alice.CreateRoomAsync("private");
        await Assert.ThrowsAsync<HubException>(() => mallory.TypingAsync(secret));
    }

    /// <summary>Someone others see offline must not give themselves away by typing.</summary>
    [Fact]
    public async Task Should_keep_an_invisible_user_s_typing_to_themselves()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await bob.SetInvisibleAsync(true);
        await bob.TypingAsync(room);
        await alice.TypingAsync(room);

        await Eventually.HoldsAsync(() => Task.FromResult(!bob.Typing.IsEmpty), ChatClient.Soon,
            "bob, invisible, still sees alice typing");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(alice.Typing);

        await bob.SetInvisibleAsync(false);
        await Task.Delay(Throttle);
        await bob.TypingAsync(room);
        await Eventually.HoldsAsync(() => Task.FromResult(!alice.Typing.IsEmpty), ChatClient.Soon,
            "alice sees bob typing once he is visible again");
    }

    private static async Task UntilAsync(System.Diagnostics.Stopwatch clock, TimeSpan elapsed)
    {
        if (elapsed > clock.Elapsed)
        {
            await Task.Delay(elapsed - clock.Elapsed);
        }
    }
}
