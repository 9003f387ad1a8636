using System.Net.Sockets;
using EventChat.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EventChat.UnitTests.Data;

public sealed class When_a_database_call_fails
{
    [Fact]
    public void Should_wait_out_a_lost_connection_even_when_wrapped()
    {
        var lost = new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(TransientFailures.IsDatabaseUnavailable(lost));
        Assert.True(TransientFailures.IsDatabaseUnavailable(new DbUpdateException("saving failed", lost)));
        Assert.True(TransientFailures.IsDatabaseUnavailable(new TimeoutException("no answer")));
    }

    [Fact]
    public void Should_not_wait_out_a_failure_that_retries_cannot_cure()
    {
        Assert.False(TransientFailures.IsDatabaseUnavailable(new InvalidOperationException("room does not exist")));
        Assert.False(TransientFailures.IsDatabaseUnavailable(new DbUpdateException("unique violation")));
        Assert.False(TransientFailures.IsDatabaseUnavailable(new NpgsqlException("syntax error")));
    }
}
