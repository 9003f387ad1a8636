using System.Net.Sockets;
using EventChat.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace EventChat.UnitTests.Errors;

/// <summary>
/// A request that fails because PostgreSQL is out of connection slots, restarting or down, or Redis cannot be
/// reached, is answered 503 with Retry-After, never as an unexplained 500.
/// </summary>
public sealed class When_a_data_store_is_unreachable
{
    public static TheoryData<Exception> Outages() =>
    [
        new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException("The server refused the connection.", new SocketException())),
        new NpgsqlException("Timed out.", new TimeoutException()),
        new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available."),
    ];

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task Should_answer_503_with_retry_after(Exception outage)
    {
        var (handler, context) = Arrange();

        Assert.True(await handler.TryHandleAsync(context, outage, CancellationToken.None));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("A data store is unavailable right now", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_leave_other_failures_to_the_default_handling()
    {
        var (handler, context) = Arrange();

        Assert.False(await handler.TryHandleAsync(context, new InvalidOperationException("a bug"), CancellationToken.None));
        Assert.False(await handler.TryHandleAsync(
            context, new NpgsqlException("syntax error at or near"), CancellationToken.None));
    }

    private static (UnavailableExceptionHandler Handler, DefaultHttpContext Context) Arrange()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new UnavailableExceptionHandler(
            services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            NullLogger<UnavailableExceptionHandler>.Instance);
        return (handler, context);
    }
}
