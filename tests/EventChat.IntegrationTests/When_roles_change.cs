using System.Net;
using EventChat.IntegrationTests.Support;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_roles_change(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_enforce_owner_admin_and_member_rights_and_hand_over_ownership()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        await using var carol = await ChatClient.ConnectAsync(cluster.Edge1, "carol");
        await using var dave = await ChatClient.ConnectAsync(cluster.Edge2, "dave");
        var room = await alice.CreateRoomAsync();
        await alice.JoinAsync(room);
        foreach (var user in new[] { bob, carol, dave })
        {
            await user.JoinAsync(room);
        }

        var members = $"/api/rooms/{room}/members";
        Task SetRoleAsync(ChatClient actor, ChatClient target, string role, HttpStatusCode expected) =>
            actor.ExpectAsync(expected, HttpMethod.Put, $"{members}/{target.UserId}/role", new { role });
        Task RemoveAsync(ChatClient actor, ChatClient target, HttpStatusCode expected) =>
            actor.ExpectAsync(expected, HttpMethod.Delete, $"{members}/{target.UserId}");

        await SetRoleAsync(carol, dave, "admin", HttpStatusCode.Forbidden);
        await RemoveAsync(carol, dave, HttpStatusCode.Forbidden);
        await carol.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Patch, $"/api/rooms/{room}", new { name = "mine" });

        await SetRoleAsync(alice, bob, "admin", HttpStatusCode.NoContent);
        await SetRoleAsync(bob, carol, "admin", HttpStatusCode.NoContent);
        await RemoveAsync(bob, carol, HttpStatusCode.Forbidden);
        await SetRoleAsync(bob, carol, "member", HttpStatusCode.Forbidden);
        await RemoveAsync(bob, alice, HttpStatusCode.Forbidden);
        await SetRoleAsync(bob, dave, "owner", HttpStatusCode.Forbidden);
        await SetRoleAsync(bob, dave, "king", HttpStatusCode.BadRequest);
        await RemoveAsync(bob, dave, HttpStatusCode.NoContent);
        await SetRoleAsync(alice, carol, "member", HttpStatusCode.NoContent);

        var refused = await Assert.ThrowsAsync<HubException>(() => alice.LeaveAsync(room));
        Assert.True(refused.Message.Contains("hand over ownership", StringComparison.Ordinal), refused.Message);
        Assert.False((await alice.RequestAsync(HttpMethod.Post, $"/api/rooms/{room}/leave")).IsSuccessStatusCode);
        await alice.JoinAsync(room);

        var before = await alice.LastSeqAsync(room);
        await SetRoleAsync(alice, bob, "owner", HttpStatusCode.NoContent);
        var handover = (await alice.EventsAsync(room, before)).EventsOrEmpty;
        Assert.Equal(
            new[] { (bob.UserId, "owner"), (alice.UserId, "admin") }.Order(),
            handover.Select(e => (e.UserId!.Value, e.Role!)).Order());
        Assert.All(handover, e => Assert.Equal(RoomEvent.MemberRoleChanged, e.Type));
        Assert.Equal(bob.UserId, (await alice.GetAsync($"/api/rooms/{room}")).GetProperty("ownerId").GetGuid());

        await alice.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/rooms/{room}/leave");
        var roles = (await bob.GetAsync(members)).GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetGuid(), m => m.GetProperty("role").GetString());
        Assert.Equal(new Dictionary<Guid, string?> { [bob.UserId] = "owner", [carol.UserId] = "member" }, roles);
        Assert.Equal(RoomEvent.MemberLeft, (await bob.EventsAsync(room, before + 2)).EventsOrEmpty.Single().Type);
    }
}
