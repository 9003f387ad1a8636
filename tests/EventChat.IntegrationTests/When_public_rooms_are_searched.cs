using System.Net;
using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class When_public_rooms_are_searched(ClusterFixture cluster)
{
    [Fact]
    public async Task Should_find_public_channels_by_part_of_their_name_in_any_case()
    {
        await using var alice = await ChatClient.ConnectAsync(cluster.Edge1, "alice");
        await using var bob = await ChatClient.ConnectAsync(cluster.Edge2, "bob");
        var tag = $"Zebra{Random.Shared.Next(100_000, 999_999)}";
        var open = await alice.CreateRoomAsync("public", $"The {tag} Lounge");
        var second = await alice.CreateRoomAsync("public", $"{tag} two");
        await alice.CreateRoomAsync("private", $"{tag} secret");
        await alice.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/dms", new { userId = bob.UserId });

        var found = await SearchAsync(bob, tag.ToLowerInvariant()[1..]);
        Assert.Equal(new[] { open, second }.Order(), found.Order());
        Assert.Single(await SearchAsync(bob, $"{tag.ToUpperInvariant()} LOUNGE"));
        Assert.Single(await SearchAsync(bob, tag, limit: 1));
        Assert.Empty(await SearchAsync(bob, $"{tag}-nothing-like-it"));

        await bob.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/rooms/search?q=");
        await bob.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/rooms/search?q={new string('q', 101)}");
        await bob.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/rooms/search?q=%00");
        await bob.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/rooms/search?q={tag}%1B");
        await bob.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/rooms/search?q={tag}&limit=0");
        await bob.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/rooms/search?q={tag}&limit=51");
    }

    private static async Task<List<Guid>> SearchAsync(ChatClient client, string q, int? limit = null)
    {
        var body = await client.GetAsync(
            $"/api/rooms/search?q={Uri.EscapeDataString(q)}{(limit is null ? "" : $"&limit={limit}")}");
        return body.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("roomId").GetGuid()).ToList();
    }
}
