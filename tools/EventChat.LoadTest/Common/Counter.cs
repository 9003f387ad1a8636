namespace EventChat.LoadTest.Common;

/// <summary>The running counts every scenario shares; each is shown per second in the progress line.</summary>
public enum Counter
{
    Connections,
    Sent,
    Acked,
    SendFailed,
    Delivered,
    Rejected,
    Persisted,
    Dropped,
    Reconnected,
    Recovered,
}
