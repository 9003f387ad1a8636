using EventChat.Api.Chat;
using EventChat.Api.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.UnitTests.Limits;

/// <summary>
/// Which requests the connection cap counts as new connections. Before SignalR's endpoint runs, nothing but the
/// request itself says whether it is a WebSocket handshake.
/// </summary>
public sealed class When_a_hub_request_is_told_new_or_not
{
    private static readonly Endpoint Negotiate = new(null,
        new EndpointMetadataCollection(new HubMetadata(typeof(ChatHub)), new NegotiateMetadata()), "negotiate");

    private static readonly Endpoint Connect = new(null,
        new EndpointMetadataCollection(new HubMetadata(typeof(ChatHub))), "connect");

    [Theory]
    [InlineData("")]
    [InlineData("?negotiateVersion=1")]
    [InlineData("?negotiateVersion=1&id=abc")]
    public void Should_count_every_negotiate(string query) =>
        Assert.True(ConnectionLimitMiddleware.IsNewConnection(Request(Negotiate, "POST", query)));

    [Theory]
    [InlineData("websocket")]
    [InlineData("WebSocket")]
    [InlineData("h2c, websocket")]
    [InlineData("websocket/13")]
    public void Should_count_an_http1_websocket_upgrade_that_skips_negotiate(string upgrade)
    {
        var context = Request(Connect, "GET", "?access_token=t");
        context.Request.Headers.Connection = "Upgrade";
        context.Request.Headers.Upgrade = upgrade;

        Assert.True(ConnectionLimitMiddleware.IsNewConnection(context));
    }

    /// <summary>SignalR makes a new connection for an empty id as for none.</summary>
    [Theory]
    [InlineData("?id=&access_token=t", true)]
    [InlineData("?id=abc&access_token=t", false)]
    [InlineData("?id=abc", false)]
    public void Should_count_an_upgrade_unless_it_names_a_negotiated_connection(string query, bool counted)
    {
        var context = Request(Connect, "GET", query);
        context.Request.Headers.Upgrade = "websocket";

        Assert.Equal(counted, ConnectionLimitMiddleware.IsNewConnection(context));
    }

    [Fact]
    public void Should_count_an_extended_connect()
    {
        var context = Request(Connect, "CONNECT", "");
        context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect());

        Assert.True(ConnectionLimitMiddleware.IsNewConnection(context));
    }

    [Theory]
    [InlineData("GET", "text/event-stream")]
    [InlineData("GET", "*/*")]
    [InlineData("POST", "*/*")]
    [InlineData("DELETE", "*/*")]
    public void Should_not_count_server_sent_events_or_long_polling_of_a_connection(string method, string accept)
    {
        var context = Request(Connect, method, "?id=abc");
        context.Request.Headers.Accept = accept;

        Assert.False(ConnectionLimitMiddleware.IsNewConnection(context));
    }

    [Fact]
    public void Should_not_count_a_request_that_opens_nothing()
    {
        var noId = Request(Connect, "GET", "");
        var elsewhere = Request(new Endpoint(null, EndpointMetadataCollection.Empty, "rooms"), "GET", "");
        elsewhere.Request.Headers.Upgrade = "websocket";

        Assert.False(ConnectionLimitMiddleware.IsNewConnection(noId));
        Assert.False(ConnectionLimitMiddleware.IsNewConnection(elsewhere));
    }

    private static DefaultHttpContext Request(Endpoint endpoint, string method, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        context.SetEndpoint(endpoint);
        return context;
    }

    private sealed class ExtendedConnect : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => true;

        public string? Protocol => "websocket";

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException();
    }
}
