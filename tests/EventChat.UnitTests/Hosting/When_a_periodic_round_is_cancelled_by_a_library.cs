using EventChat.Infrastructure.Hosting;
using EventChat.UnitTests.TestSupport;

namespace EventChat.UnitTests.Hosting;

/// <summary>
/// A round whose call is cancelled by the library behind it, not by the host stopping, is a failed round: the loop
/// reports it and goes on. Ending the loop there would stop an edge's presence heartbeat for good.
/// </summary>
public sealed class When_a_periodic_round_is_cancelled_by_a_library
{
    [Fact]
    public async Task Should_report_it_and_run_the_next_round()
    {
        var rounds = 0;
        var failures = new List<Exception>();
        var secondRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopping = new CancellationTokenSource();

        var loop = Periodic.RunAsync(TimeSpan.FromMilliseconds(20), _ =>
        {
            if (Interlocked.Increment(ref rounds) == 1)
            {
                throw new TaskCanceledException("cancelled by the client library");
            }

            secondRound.TrySetResult();
            return Task.CompletedTask;
        }, failures.Add, stopping.Token);

        await secondRound.Task.WaitAsync(Within.Timeout);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Within.Timeout));

        Assert.IsType<TaskCanceledException>(Assert.Single(failures));
    }
}
