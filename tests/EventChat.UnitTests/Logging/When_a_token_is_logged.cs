using EventChat.Api.Logging;
using EventChat.UnitTests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventChat.UnitTests.Logging;

public sealed partial class When_a_token_is_logged : IDisposable
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    private const string Opaque = "Zm9vYmFyYmF6cXV4";

    private readonly CapturingLoggerProvider _logs = new();
    private readonly TokenRedactingLoggerFactory _factory;
    private readonly ILogger _logger;

    public When_a_token_is_logged()
    {
        _factory = new TokenRedactingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(_logs)));
        _logger = _factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
    }

    [Fact]
    public void Should_redact_the_access_token_of_a_logged_query_string_in_message_and_values()
    {
        RequestStarting(_logger, "/hubs/chat", new QueryString($"?id=abc&access_token={Opaque}&x=1"));

        var entry = Assert.Single(_logs.Entries);
        Assert.DoesNotContain(Opaque, entry.Message, StringComparison.Ordinal);
        Assert.Contains("access_token=[redacted]&x=1", entry.Message, StringComparison.Ordinal);
        Assert.Contains("?id=abc", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(entry.Values,
            v => v.Value?.ToString()?.Contains(Opaque, StringComparison.Ordinal) == true);
        Assert.Equal(2001, entry.EventId.Id);
    }

    [Theory]
    [InlineData("Authorization: Bearer " + Jwt)]
    [InlineData("ws://127.0.0.1/hubs/chat?ACCESS_TOKEN=" + Jwt)]
    [InlineData("refresh_token=" + Opaque + " and " + Jwt)]
    public void Should_redact_a_token_in_any_logged_text(string text)
    {
        _logger.Log(LogLevel.Information, new EventId(1), text, null, (s, _) => s);
        Plain(_logger, text);

        Assert.Equal(2, _logs.Entries.Count);
        Assert.All(_logs.Entries, e =>
        {
            Assert.DoesNotContain(Jwt, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Opaque, e.Message, StringComparison.Ordinal);
            Assert.Contains("[redacted]", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Should_pass_entries_without_a_token_on_unchanged()
    {
        var id = Guid.NewGuid();
        RequestStarting(_logger, "/api/rooms", new QueryString("?limit=5&tokenish=eyj"));
        Plain(_logger, $"user {id}");

        Assert.Equal("GET /api/rooms?limit=5&tokenish=eyj", _logs.Entries.First().Message);
        Assert.Equal($"user {id}", _logs.Entries.Last().Message);
    }

    public void Dispose() => _factory.Dispose();

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "GET {Path}{QueryString}")]
    private static partial void RequestStarting(ILogger logger, string path, QueryString queryString);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Text}")]
    private static partial void Plain(ILogger logger, string text);
}
