using System.Net;
using System.Net.Sockets;
using EventChat.LoadTest;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// Ctrl+C stops a run without a stack trace: during set-up it says so on stderr, later the run reports what it
/// measured, marked as interrupted; either way the exit code is 130.
/// </summary>
public sealed class When_a_load_run_is_interrupted : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TcpListener _silentEdge = new(IPAddress.Loopback, 0);

    public When_a_load_run_is_interrupted() => _silentEdge.Start();

    [Fact]
    public async Task Should_exit_130_when_interrupted_during_set_up()
    {
        // The listener accepts but never answers, so registration waits until the interruption.
        var url = $"http://127.0.0.1:{((IPEndPoint)_silentEdge.LocalEndpoint).Port}";
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        using var error = new StringWriter();

        var code = await Commands.RunAsync(
            ["chat", "--urls", url, "--users", "2", "--rooms", "1", "--duration", "60"], error, interrupt.Token)
            .WaitAsync(Bound);

        Assert.True(code == 130, $"exit code {code}; stderr: {error}");
        Assert.Contains("interrupted", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_report_and_exit_130_when_interrupted_while_measuring()
    {
        await WithReferenceServerAsync(async url =>
        {
            using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var error = new StringWriter();

            var code = await Commands.RunAsync(
                [
                    "chat", "--target", "reference", "--urls", url, "--users", "2", "--rooms", "1", "--rate", "2",
                    "--warmup", "0", "--duration", "60", "--drain", "0",
                ],
                error, interrupt.Token).WaitAsync(Bound);

            Assert.True(code == 130, $"exit code {code}; stderr: {error}");
            Assert.DoesNotContain("error:", error.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Should_call_a_run_that_sent_nothing_inconclusive()
    {
        await WithReferenceServerAsync(async url =>
        {
            using var error = new StringWriter();

            // One message every 100 s, measured for one second: nobody sends.
            var code = await Commands.RunAsync(
                [
                    "chat", "--target", "reference", "--urls", url, "--users", "2", "--rooms", "1", "--rate", "0.01",
                    "--warmup", "0", "--duration", "1", "--drain", "0",
                ],
                error, CancellationToken.None).WaitAsync(Bound);

            Assert.True(code == 3, $"exit code {code}; stderr: {error}");
        });
    }

    /// <summary>Runs <paramref name="test"/> against a reference server of its own, and stops it after.</summary>
    private static async Task WithReferenceServerAsync(Func<string, Task> test)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var stopServer = new CancellationTokenSource();
        using var serverError = new StringWriter();
        var server = Commands.RunAsync(["reference", "--urls", url], serverError, stopServer.Token);
        try
        {
            await WaitUntilListeningAsync(url);
            await test(url);
        }
        finally
        {
            await stopServer.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(Bound));
        }
    }

    public void Dispose() => _silentEdge.Dispose();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitUntilListeningAsync(string url)
    {
        var uri = new Uri(url);
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, uri.Port).WaitAsync(Bound);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
