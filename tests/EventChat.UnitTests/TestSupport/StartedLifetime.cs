using Microsoft.Extensions.Hosting;

namespace EventChat.UnitTests.TestSupport;

/// <summary>An application that has already started and never stops, for services that wait for the start.</summary>
public sealed class StartedLifetime : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted { get; } = new(canceled: true);

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication()
    {
    }
}
