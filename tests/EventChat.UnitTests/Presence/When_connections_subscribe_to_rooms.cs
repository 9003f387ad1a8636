namespace EventChat.UnitTests.Presence;

public sealed class When_connections_subscribe_to_rooms
{
    private readonly PresenceFixture _presence = new();
    private readonly Guid _user = Guid.NewGuid();
    private readonly Guid _room = Guid.NewGuid();

    [Fact]
    public async Task Should_list_a_user_with_several_subscribed_devices_once()
    {
        await _presence.ConnectAsync(_user, "phone");
        await _presence.ConnectAsync(_user, "laptop");
        await _presence.Store.JoinedAsync(_room, _user, "phone", CancellationToken.None);
        await _presence.Store.JoinedAsync(_room, _user, "laptop", CancellationToken.None);

        Assert.Equal([_user], await _presence.Store.OnlineInRoomAsync(_room, CancellationToken.None));
        Assert.Equal(
            ["laptop", "phone"],
            (await _presence.Store.ConnectionsInRoomAsync(_room, _user, CancellationToken.None)).Order());
    }

    [Fact]
    public async Task Should_drop_a_connection_from_its_rooms_when_it_unsubscribes_or_disconnects()
    {
        var other = Guid.NewGuid();
        await _presence.ConnectAsync(_user, "phone");
        await _presence.ConnectAsync(other, "laptop");
        await _presence.Store.JoinedAsync(_room, _user, "phone", CancellationToken.None);
        await _presence.Store.JoinedAsync(_room, other, "laptop", CancellationToken.None);

        await _presence.Store.LeftAsync(_room, other, "laptop", CancellationToken.None);
        await _presence.DisconnectAsync(_user, "phone");

        Assert.Empty(await _presence.Store.OnlineInRoomAsync(_room, CancellationToken.None));
        Assert.Empty(await _presence.Store.ConnectionsInRoomAsync(_room, _user, CancellationToken.None));
    }

    [Fact]
    public async Task Should_drop_rooms_the_caller_names_on_disconnect_too()
    {
        await _presence.Store.JoinedAsync(_room, _user, "phone", CancellationToken.None);

        await _presence.DisconnectAsync(_user, "phone", _room);

        Assert.Empty(await _presence.Store.OnlineInRoomAsync(_room, CancellationToken.None));
    }
}
