namespace EventChat.LoadTest.Common;

/// <summary>
/// The outcome of a run in one line: whether the checks passed, and next to it how many sends failed and why,
/// since a failed send is never acknowledged and so is outside what the checks can judge.
/// </summary>
public static class Verdict
{
    public static string Describe(bool correct, string promise, long sent, long sendFailed, FailureReasons reasons) =>
        WithSendFailures(
            correct ? $"correct: {promise}" : "NOT correct: the checks found faults (see the counts above)",
            sent, sendFailed, reasons);

    /// <summary>A run whose checks found no fault but cannot vouch for the product either (exit code 3).</summary>
    public static string Inconclusive(string why, long sent, long sendFailed, FailureReasons reasons) =>
        WithSendFailures($"inconclusive: {why}", sent, sendFailed, reasons);

    private static string WithSendFailures(string outcome, long sent, long sendFailed, FailureReasons reasons)
    {
        if (sendFailed == 0)
        {
            return $"{outcome}; no send failed";
        }

        var share = sent == 0 ? 0 : 100.0 * sendFailed / sent;
        var why = string.Join(", ", reasons.Counts().Take(3).Select(r => $"{r.Value} {r.Key}"));
        return $"{outcome}; BUT {sendFailed} of {sent} sends ({share:0.#}%) failed, were not acknowledged and are " +
               $"not covered by the checks ({why})";
    }
}
