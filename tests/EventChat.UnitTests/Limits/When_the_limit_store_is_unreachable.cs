using EventChat.Api.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace EventChat.UnitTests.Limits;

/// <summary>Which limits let requests through while Redis is down, and which refuse them.</summary>
public sealed class When_the_limit_store_is_unreachable
{
    private readonly RateLimiter _limiter = new(new UnreachableStore(), new LimitsOptions(), NullLogger<RateLimiter>.Instance);

    [Fact]
    public async Task Should_let_messages_joins_room_creations_and_registrations_through()
    {
        await _limiter.EnsureAsync(_limiter.Messages, Guid.NewGuid(), CancellationToken.None);
        await _limiter.EnsureAsync(_limiter.Joins, Guid.NewGuid(), CancellationToken.None);
        await _limiter.EnsureAsync(_limiter.RoomCreations, Guid.NewGuid(), CancellationToken.None);
        await _limiter.EnsureAsync(_limiter.RegistrationsPerAddress, "192.0.2.1", CancellationToken.None);
    }

    [Fact]
    public async Task Should_refuse_logins_rather_than_stop_counting_them()
    {
        await Assert.ThrowsAsync<RedisConnectionException>(
            () => _limiter.EnsureAsync(_limiter.LoginsPerAccount, "alice", CancellationToken.None));
        await Assert.ThrowsAsync<RedisConnectionException>(
            () => _limiter.EnsureAsync(_limiter.LoginsPerAddress, "192.0.2.1", CancellationToken.None));
    }

    [Fact]
    public async Task Should_treat_a_store_that_does_not_answer_in_time_as_unreachable()
    {
        var limiter = new RateLimiter(new SilentStore(), new LimitsOptions(), NullLogger<RateLimiter>.Instance);

        await limiter.EnsureAsync(limiter.Messages, Guid.NewGuid(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<TimeoutException>(
            () => limiter.EnsureAsync(limiter.LoginsPerAccount, "alice", CancellationToken.None));
    }

    [Fact]
    public async Task Should_wait_longer_for_a_store_that_is_connected_but_slow_to_answer()
    {
        var slow = new SlowStore(RateLimiter.StoreTimeout + TimeSpan.FromMilliseconds(700));
        var limiter = new RateLimiter(slow, new LimitsOptions(), NullLogger<RateLimiter>.Instance);

        await limiter.EnsureAsync(limiter.LoginsPerAccount, "alice", CancellationToken.None);

        Assert.Equal(1, slow.Answered);
    }

    [Fact]
    public async Task Should_give_up_on_a_disconnected_store_at_the_short_timeout()
    {
        var limiter = new RateLimiter(new SilentStore { IsConnected = false }, new LimitsOptions(),
            NullLogger<RateLimiter>.Instance);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(
            () => limiter.EnsureAsync(limiter.LoginsPerAccount, "alice", CancellationToken.None));

        Assert.True(watch.Elapsed < RateLimiter.BusyStoreTimeout, $"gave up after {watch.Elapsed}");
    }

    [Fact]
    public async Task Should_refuse_over_the_limit_with_the_wait_in_whole_seconds()
    {
        var limiter = new RateLimiter(
            new InMemoryRateLimitStore(TimeProvider.System),
            new LimitsOptions { Messages = new RateRule(1, TimeSpan.FromSeconds(90)) },
            NullLogger<RateLimiter>.Instance);
        var user = Guid.NewGuid();
        await limiter.EnsureAsync(limiter.Messages, user, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RateLimitedException>(
            () => limiter.EnsureAsync(limiter.Messages, user, CancellationToken.None));

        Assert.InRange(refused.RetryAfterSeconds, 89, 90);
        Assert.Equal($"Too many messages: try again in {refused.RetryAfterSeconds} s.", refused.Message);
    }

    private sealed class UnreachableStore : IRateLimitStore
    {
        public bool IsConnected => false;

        public Task<RateDecision> TakeAsync(string key, RateRule rule, CancellationToken cancellationToken) =>
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available");
    }

    private sealed class SilentStore : IRateLimitStore
    {
        public bool IsConnected { get; init; } = true;

        public async Task<RateDecision> TakeAsync(string key, RateRule rule, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return RateDecision.Allow;
        }
    }

    private sealed class SlowStore(TimeSpan delay) : IRateLimitStore
    {
        public int Answered { get; private set; }

        public bool IsConnected => true;

        public async Task<RateDecision> TakeAsync(string key, RateRule rule, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            Answered++;
            return RateDecision.Allow;
        }
    }
}
