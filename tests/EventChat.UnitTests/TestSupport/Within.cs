namespace EventChat.UnitTests.TestSupport;

/// <summary>The one bound on every wait in this project, and a poll for conditions that become true later.</summary>
public static class Within
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition().WaitAsync(Timeout))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up after {Timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(PollEvery);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what) =>
        UntilAsync(() => Task.FromResult(condition()), what);
}
