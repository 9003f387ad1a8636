using System.Net;
using System.Net.Sockets;
using EventChat.LoadTest;
using EventChat.LoadTest.Common;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// A run in which users failed to connect at set-up did not load what was asked: it is inconclusive (exit code 3),
/// never correct, and its verdict says inconclusive rather than that the checks found faults.
/// </summary>
public sealed class When_a_load_run_cannot_connect
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_exit_3_when_nobody_connected()
    {
        // Nothing listens on a port just given back, so every connect is refused at once.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var error = new StringWriter();

        var code = await Commands.RunAsync(
            [
                "chat", "--target", "reference", "--urls", $"http://127.0.0.1:{port}", "--users", "4", "--rooms", "2",
                "--warmup", "0", "--duration", "1", "--drain", "0",
            ],
            error).WaitAsync(Bound);

        Assert.True(code == 3, $"exit code {code}; stderr: {error}");
    }

    [Fact]
    public void Should_say_inconclusive_in_the_verdict()
    {
        var verdict = Verdict.Inconclusive("2 of 4 users failed to connect", 10, 0, new FailureReasons());

        Assert.StartsWith("inconclusive: 2 of 4 users failed to connect", verdict, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT correct", verdict, StringComparison.Ordinal);
    }
}
