using MassTransit.Testing;

namespace EventChat.UnitTests.TestSupport;

/// <summary>
/// What the harness has seen so far. The harness's own lists block until the bus falls idle; these return at
/// once, so that tests poll them with <see cref="Within.UntilAsync(Func{bool}, string)"/> instead.
/// </summary>
public static class HarnessSnapshots
{
    public static IReadOnlyList<IPublishedMessage<T>> PublishedSoFar<T>(this ITestHarness harness)
        where T : class => harness.Published.Select<T>(AlreadyCancelled()).ToList();

    public static IReadOnlyList<IReceivedMessage<T>> ConsumedSoFar<T>(this ITestHarness harness)
        where T : class => harness.Consumed.Select<T>(AlreadyCancelled()).ToList();

    private static CancellationToken AlreadyCancelled() => new(canceled: true);
}
