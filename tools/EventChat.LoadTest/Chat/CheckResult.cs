using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>Exact counts of what went wrong in delivery and storage.</summary>
public sealed class CheckResult
{
    /// <summary>Deliveries a receiver should have had and did not.</summary>
    public long Lost { get; set; }

    /// <summary>Deliveries a receiver got more than once.</summary>
    public long Duplicated { get; set; }

    /// <summary>Deliveries that arrived after a later position of the same stream.</summary>
    public long OutOfOrder { get; set; }

    /// <summary>Deliveries of messages history does not hold (EventChat) or nobody sent (reference).</summary>
    public long Unexpected { get; set; }

    /// <summary>Acknowledged messages missing from history.</summary>
    public long AckedMissing { get; set; }

    /// <summary>The client message ids, with their rooms, of the first acknowledged messages missing from history.</summary>
    public List<string> AckedMissingIds { get; } = [];

    /// <summary>Acknowledged messages that history holds more than once.</summary>
    public long AckedDuplicatedInHistory { get; set; }

    public long HistoryMessages { get; set; }

    public string? Error { get; set; }

    public long Faults =>
        Lost + Duplicated + OutOfOrder + Unexpected + AckedMissing + AckedDuplicatedInHistory + (Error is null ? 0 : 1);

    /// <param name="conclusive">False when the run did not load what was asked: then nothing is called correct.</param>
    public void AddTo(Report report, bool conclusive)
    {
        report.Add("checked", true);
        report.Add("lost", Lost);
        report.Add("duplicated", Duplicated);
        report.Add("outOfOrder", OutOfOrder);
        report.Add("unexpected", Unexpected);
        report.Add("ackedMissingFromHistory", AckedMissing);
        report.Add("ackedDuplicatedInHistory", AckedDuplicatedInHistory);
        report.Add("historyMessages", HistoryMessages);
        report.Add("checkError", Error);
        report.Add("correct", conclusive && Faults == 0);
        if (AckedMissingIds.Count > 0)
        {
            report.Note($"acknowledged but missing from history: {string.Join(", ", AckedMissingIds)}");
        }
    }
}
