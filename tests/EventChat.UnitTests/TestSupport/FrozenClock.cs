namespace EventChat.UnitTests.TestSupport;

/// <summary>A clock that never moves, so that a fixed time window cannot roll over in the middle of a test.</summary>
public sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
