using EventChat.Api.Auth;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using EventChat.UnitTests.Presence;
using EventChat.UnitTests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EventChat.UnitTests.Auth;

/// <summary>Refresh token families on SQLite, the embedded default's database.</summary>
public sealed class When_refresh_tokens_are_rotated : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly AuthOptions _options = new() { RefreshTokenLifetime = TimeSpan.FromDays(1) };
    private TempDatabase _database = null!;
    private Guid _user;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        using var db = _database.Open();
        _user = Guid.NewGuid();
        db.Users.Add(new User
        {
            Id = _user,
            UserName = "alice",
            NormalizedUserName = "alice",
            PasswordHash = "",
            CreatedAt = _clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_exchange_a_token_once_for_the_next_of_its_family()
    {
        var first = await StartAsync();

        var second = await RotateAsync(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second.Value.Token);
        Assert.Equal(_user, second.Value.User.Id);

        var third = await RotateAsync(second.Value.Token);
        Assert.NotNull(third);
        Assert.Null(await RotateAsync(first));
    }

    [Fact]
    public async Task Should_store_only_a_hash_of_each_token()
    {
        var token = await StartAsync();

        using var db = _database.Open();
        var stored = Assert.Single(await db.RefreshTokens.ToListAsync());
        Assert.NotEqual(token, stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TokenService.HashRefreshToken(token), stored.TokenHash);
    }

    [Fact]
    public async Task Should_revoke_the_whole_family_and_log_a_security_event_when_a_used_token_comes_back()
    {
        var stolen = await StartAsync();
        var otherDevice = await StartAsync();
        var attacker = (await RotateAsync(stolen))!.Value.Token;

        Assert.Null(await RotateAsync(stolen, "203.0.113.9"));

        Assert.Null(await RotateAsync(attacker));
        Assert.NotNull(await RotateAsync(otherDevice));
        var warning = Assert.Single(_logs.Entries, e => e.EventId.Name == "RefreshTokenReused");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(8001, warning.EventId.Id);
        Assert.Contains(warning.Values, v => v.Key == "UserId" && Equals(v.Value, _user));
        Assert.Contains(warning.Values, v => v.Key == "RemoteAddress" && Equals(v.Value, "203.0.113.9"));
        Assert.DoesNotContain(stolen, warning.Message, StringComparison.Ordinal);
        using var db = _database.Open();
        Assert.All(await db.RefreshTokens.Where(t => t.RevokedReason != null).ToListAsync(),
            t => Assert.Equal(RefreshTokenStore.ReasonReuse, t.RevokedReason));
    }

    [Fact]
    public async Task Should_let_exactly_one_of_concurrent_uses_of_a_token_win()
    {
        for (var round = 0; round < 10; round++)
        {
            var token = await StartAsync();
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RotateAsync(token))));
            Assert.Single(results, r => r is not null);
        }
    }

    [Fact]
    public async Task Should_refuse_an_expired_token()
    {
        var token = await StartAsync();

        _clock.Advance(_options.RefreshTokenLifetime + TimeSpan.FromSeconds(1));

        Assert.Null(await RotateAsync(token));
    }

    [Fact]
    public async Task Should_revoke_the_family_on_logout()
    {
        var first = await StartAsync();
        var current = (await RotateAsync(first))!.Value.Token;

        using (var db = _database.Open())
        {
            await Store(db).RevokeFamilyAsync(first, default);
        }

        Assert.Null(await RotateAsync(current));
    }

    private async Task<string> StartAsync()
    {
        using var db = _database.Open();
        return await Store(db).StartFamilyAsync(_user, default).WaitAsync(Within.Timeout);
    }

    private async Task<(User User, string Token)?> RotateAsync(string token, string? from = null)
    {
        using var db = _database.Open();
        return await Store(db).RotateAsync(token, from, default).WaitAsync(Within.Timeout);
    }

    private RefreshTokenStore Store(ChatDbContext db) =>
        new(db, _options, _clock, LoggerFactory.Create(b => b.AddProvider(_logs)).CreateLogger<RefreshTokenStore>());
}
