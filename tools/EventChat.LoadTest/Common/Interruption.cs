namespace EventChat.LoadTest.Common;

/// <summary>
/// Ctrl+C ends the phase that is running; the scenario then reports what it measured, marked as interrupted,
/// and exits with <see cref="ExitCode"/>. A second Ctrl+C ends the process at once.
/// </summary>
public static class Interruption
{
    public const int ExitCode = 130;

    public const string Verdict =
        "interrupted by Ctrl+C: the run was cut short and its drain skipped, so the figures cover only part of it " +
        "and messages still on their way may count as lost";

    /// <summary>Waits for <paramref name="delay"/>; false when Ctrl+C cut the wait short.</summary>
    public static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
