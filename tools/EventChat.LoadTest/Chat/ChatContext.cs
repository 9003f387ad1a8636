using System.Collections.Concurrent;
using EventChat.LoadTest.Common;

namespace EventChat.LoadTest.Chat;

/// <summary>State that every simulated member of a chat run shares.</summary>
public sealed class ChatContext(ChatSettings settings, Metrics metrics, string runId)
{
    private long _deliverySerial;
    private long _measureStart = long.MaxValue;
    private long _measureEnd = long.MaxValue;

    public ChatSettings Settings { get; } = settings;

    public Metrics Metrics { get; } = metrics;

    public string RunId { get; } = runId;

    public LatencyRecorder AckLatency { get; } = new();

    public FailureReasons SendFailures { get; } = new();

    public IReadOnlyList<Guid> RoomIds { get; set; } = [];

    /// <summary>Client message ids the server refused after accepting them (<c>MessageRejected</c>).</summary>
    public ConcurrentDictionary<string, string> Rejected { get; } = new();

    public bool Stopping { get; set; }

    public long MeasureStart
    {
        get => Interlocked.Read(ref _measureStart);
        set => Interlocked.Exchange(ref _measureStart, value);
    }

    public long MeasureEnd
    {
        get => Interlocked.Read(ref _measureEnd);
        set => Interlocked.Exchange(ref _measureEnd, value);
    }

    public bool InMeasurement(long sendTimestamp) => sendTimestamp >= MeasureStart && sendTimestamp < MeasureEnd;

    public long NextDeliverySerial() => Interlocked.Increment(ref _deliverySerial);
}
