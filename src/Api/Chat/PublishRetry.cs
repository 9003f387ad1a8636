using Polly;
using Polly.Retry;

namespace EventChat.Api.Chat;

/// <summary>
/// Rides out a broker blip before the hub gives up on a send: a couple of quick retries, all within a deadline.
/// Retrying is safe because a message's id is fixed by its sender and client id, and storage deduplicates on it.
/// </summary>
public sealed class PublishRetry
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
        .AddTimeout(TimeSpan.FromSeconds(15))
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
        })
        .Build();

    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> publish, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(publish, cancellationToken);

}
