using EventChat.Api.Limits;
using EventChat.UnitTests.Presence;

namespace EventChat.UnitTests.Limits;

/// <summary>The token bucket of the embedded default, on a clock that moves only when told.</summary>
public sealed class When_a_rate_limit_is_taken
{
    private static readonly RateRule FivePerMinute = new(5, TimeSpan.FromMinutes(1));

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRateLimitStore _store;

    public When_a_rate_limit_is_taken() => _store = new InMemoryRateLimitStore(_clock);

    [Fact]
    public async Task Should_allow_a_burst_of_the_full_count_and_then_refuse_until_a_permit_is_back()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await TakeAsync("a")).Allowed);
        }

        var refused = await TakeAsync("a");

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(12), refused.RetryAfter);
    }

    [Fact]
    public async Task Should_give_back_one_permit_per_refill_interval()
    {
        await DrainAsync("a");

        _clock.Advance(TimeSpan.FromSeconds(9));
        var early = await TakeAsync("a");
        _clock.Advance(TimeSpan.FromSeconds(3));
        var due = await TakeAsync("a");
        var next = await TakeAsync("a");

        Assert.Equal((false, TimeSpan.FromSeconds(3)), (early.Allowed, early.RetryAfter));
        Assert.True(due.Allowed);
        Assert.Equal((false, TimeSpan.FromSeconds(12)), (next.Allowed, next.RetryAfter));
    }

    [Fact]
    public async Task Should_never_save_up_more_than_the_full_count()
    {
        await DrainAsync("a");

        _clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(5, await CountAllowedAsync("a", 20));
    }

    [Fact]
    public async Task Should_keep_each_key_apart()
    {
        await DrainAsync("a");

        Assert.True((await TakeAsync("b")).Allowed);
        Assert.False((await TakeAsync("a")).Allowed);
    }

    [Fact]
    public async Task Should_not_count_refused_requests_against_the_refill()
    {
        await DrainAsync("a");

        for (var i = 0; i < 11; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False((await TakeAsync("a")).Allowed);
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await TakeAsync("a")).Allowed);
    }

    private Task<RateDecision> TakeAsync(string key) => _store.TakeAsync(key, FivePerMinute, CancellationToken.None);

    private async Task DrainAsync(string key) => Assert.Equal(5, await CountAllowedAsync(key, 6));

    private async Task<int> CountAllowedAsync(string key, int tries)
    {
        var allowed = 0;
        for (var i = 0; i < tries; i++)
        {
            allowed += (await TakeAsync(key)).Allowed ? 1 : 0;
        }

        return allowed;
    }
}
