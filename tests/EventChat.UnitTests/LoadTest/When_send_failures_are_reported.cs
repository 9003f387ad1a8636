using System.Text.Json;
using EventChat.LoadTest.Common;
using Microsoft.AspNetCore.SignalR;

namespace EventChat.UnitTests.LoadTest;

/// <summary>Failed sends are counted by reason, and shown in the table, the verdict and the JSON.</summary>
public sealed class When_send_failures_are_reported
{
    [Fact]
    public void Should_name_each_kind_of_failure_briefly()
    {
        Assert.Equal(
            "HubException: Room <id> does not exist.",
            FailureReasons.Describe(new HubException($"Room {Guid.NewGuid()} does not exist.")));
        Assert.Equal("timeout", FailureReasons.Describe(new TimeoutException("Server timeout elapsed")));
        Assert.Equal(
            "connection closed",
            FailureReasons.Describe(
                new TaskCanceledException("Invocation canceled due to the underlying connection being closed.")));
        Assert.Equal(
            "connection not active",
            FailureReasons.Describe(new InvalidOperationException(
                "The 'InvokeCoreAsync' method cannot be called if the connection is not active")));
        Assert.Equal("connection closed: IOException", FailureReasons.Describe(new IOException("reset")));
        Assert.True(FailureReasons.Describe(new FormatException(new string('x', 500))).Length < 130);
    }

    [Fact]
    public void Should_count_the_same_refusal_for_different_rooms_as_one_reason()
    {
        var reasons = new FailureReasons();
        reasons.Add(new HubException($"Room {Guid.NewGuid()} does not exist."));
        reasons.Add(new HubException($"Room {Guid.NewGuid()} does not exist."));
        reasons.Add(new TimeoutException());

        Assert.Equal(3, reasons.Total);
        Assert.Equal(
            [new("HubException: Room <id> does not exist.", 2L), new KeyValuePair<string, long>("timeout", 1L)],
            reasons.Counts());
    }

    [Fact]
    public void Should_show_the_reasons_and_the_verdict_beside_correct()
    {
        var reasons = new FailureReasons();
        reasons.Add(new TaskCanceledException());
        reasons.Add(new TaskCanceledException());
        reasons.Add(new TimeoutException());
        var report = new Report();
        report.Add("sendFailed", 3L);
        report.Add("correct", true);
        report.Add("sendFailedReasons", reasons.Counts());
        report.Verdict(Verdict.Describe(true, "nothing lost", 30, 3, reasons));
        using var output = new StringWriter();

        report.Write(output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd())
            .ToList();
        Assert.Contains(lines, l => l.EndsWith("2  connection closed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("1  timeout", StringComparison.Ordinal));
        var verdict = Assert.Single(lines, l => l.StartsWith("verdict: ", StringComparison.Ordinal));
        Assert.Contains("correct: nothing lost", verdict, StringComparison.Ordinal);
        Assert.Contains("3 of 30 sends (10%) failed", verdict, StringComparison.Ordinal);
        Assert.Contains("2 connection closed", verdict, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(lines[^1]);
        Assert.Equal(3, json.RootElement.GetProperty("sendFailed").GetInt64());
        Assert.True(json.RootElement.GetProperty("correct").GetBoolean());
        var byReason = json.RootElement.GetProperty("sendFailedReasons");
        Assert.Equal(2, byReason.GetProperty("connection closed").GetInt64());
        Assert.Equal(1, byReason.GetProperty("timeout").GetInt64());
    }

    [Fact]
    public void Should_say_plainly_when_no_send_failed_or_the_checks_failed()
    {
        var none = new FailureReasons();

        Assert.Equal("correct: nothing lost; no send failed", Verdict.Describe(true, "nothing lost", 10, 0, none));
        Assert.StartsWith(
            "NOT correct", Verdict.Describe(false, "nothing lost", 10, 0, none), StringComparison.Ordinal);
    }
}
