using EventChat.Infrastructure.Outbox;
using EventChat.IntegrationTests.Support;
using Npgsql;

namespace EventChat.IntegrationTests;

/// <summary>
/// Every process that writes to the outbox runs a relay, and one at a time may publish: the one holding the
/// relay's advisory lock. Here a session of the test's own holds that lock while messages are stored, as a relay
/// of another process would in the middle of a slow pass.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class When_another_relay_holds_the_outbox_lock(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_publish_nothing_until_the_lock_is_free_and_then_everything_in_order()
    {
        await using var pair = await ChatPair.OpenAsync(cluster.Edge1, cluster.Edge2);
        var (alice, bob, room) = pair;
        await Eventually.HoldsAsync(async () => await OutboxRowsAsync() == 0, TimeSpan.FromSeconds(20),
            "the events of setting up the room are published");

        await using var holder = new NpgsqlConnection(cluster.PostgresConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({OutboxRelay.RelayLockKey})", holder,
                         transaction))
        {
            await take.ExecuteNonQueryAsync();
        }

        string[] sent = ["first", "second", "third"];
        foreach (var clientMessageId in sent)
        {
            await alice.SendAsync(room, clientMessageId, $"{clientMessageId} while the relay is locked");
        }

        await Eventually.HoldsAsync(async () => await OutboxRowsAsync() == sent.Length, TimeSpan.FromSeconds(20),
            "all three messages are stored and wait in the outbox");
        await Task.Delay(1500);
        Assert.Empty(bob.Posted(room));
        Assert.Equal(sent.Length, await OutboxRowsAsync());

        await transaction.CommitAsync();

        var live = await bob.WaitForMessagesAsync(room, sent.Length);
        Assert.Equal(sent, live.Select(m => m.ClientMessageId));
        Assert.Equal(pair.NextSeqs(sent.Length), live.Select(m => m.Seq));
        await Eventually.HoldsAsync(async () => await OutboxRowsAsync() == 0, TimeSpan.FromSeconds(20),
            "the relay deletes what it published");
    }

    private async Task<long> OutboxRowsAsync() =>
        (long)(await cluster.ScalarAsync("SELECT count(*) FROM outbox_messages"))!;
}
