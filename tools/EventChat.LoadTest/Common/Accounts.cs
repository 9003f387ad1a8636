namespace EventChat.LoadTest.Common;

/// <summary>
/// Registers and logs in the accounts a run needs. Password hashing makes these calls expensive on the server,
/// so several connections may share one account (EventChat allows many devices per user).
/// </summary>
public static class Accounts
{
    public const string Password = "load-test-password";

    public static async Task<LoginAnswer[]> CreateAsync(
        IReadOnlyList<ApiClient> edges, string runId, int count, int concurrency, CancellationToken cancellationToken)
    {
        var answers = new LoginAnswer[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var api = edges[i % edges.Count];
                var name = $"lt{runId}u{i}";
                await api.RegisterAsync(name, Password, ct);
                answers[i] = await api.LoginAsync(name, Password, ct);
            });
        return answers;
    }

    public static string NewRunId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
}
