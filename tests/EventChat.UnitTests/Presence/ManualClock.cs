namespace EventChat.UnitTests.Presence;

/// <summary>A clock that moves only when told, so that last-seen times can be checked exactly.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
