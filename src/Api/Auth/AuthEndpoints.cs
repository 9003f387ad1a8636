using System.Text.RegularExpressions;
using EventChat.Api.Limits;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Auth;

public static partial class AuthEndpoints
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");
        auth.MapPost("/register", RegisterAsync);
        auth.MapPost("/login", LoginAsync);
    }

    private static async Task<IResult> RegisterAsync(
        Credentials body, ChatDbContext db, IPasswordHasher<User> hasher, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var problem = Validate(body);
        if (problem is not null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid registration");
        }

        var name = body.Username!;
        var normalized = name.ToLowerInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken))
        {
            return Taken(name);
        }

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            UserName = name,
            NormalizedUserName = normalized,
            PasswordHash = string.Empty,
            CreatedAt = clock.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, body.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two registrations of one name raced; the unique index let exactly one through.
            return Taken(name);
        }

        return Results.Created($"/api/users/{user.Id}", new RegisterResponse(user.Id, user.UserName));
    }

    private static async Task<IResult> LoginAsync(
        Credentials body, HttpContext http, ChatDbContext db, IPasswordHasher<User> hasher, TokenService tokens,
        AuthOptions options, RateLimiter limiter, TimeProvider clock, CancellationToken cancellationToken)
    {
        await limiter.EnsureAsync(limiter.LoginsPerAddress, ClientAddress(http), cancellationToken);
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password)
            || body.Password.Length > MaxPasswordLength)
        {
            return BadCredentials();
        }

        // A name that no account can have is not counted per account: it needs no protection, and a key of its own.
        var normalized = body.Username.ToLowerInvariant();
        if (UserNamePattern().IsMatch(body.Username))
        {
            await limiter.EnsureAsync(limiter.LoginsPerAccount, normalized, cancellationToken);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        if (user is null || hasher.VerifyHashedPassword(user, user.PasswordHash, body.Password)
            == PasswordVerificationResult.Failed)
        {
            return BadCredentials();
        }

        var (refreshToken, refreshHash) = TokenService.CreateRefreshToken();
        var now = clock.GetUtcNow();
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            TokenHash = refreshHash,
            CreatedAt = now,
            ExpiresAt = now + options.RefreshTokenLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);

        return Results.Ok(new LoginResponse(
            tokens.CreateAccessToken(user.Id, user.UserName), refreshToken, tokens.AccessTokenSeconds, user.Id,
            user.UserName));
    }

    /// <summary>The client's address, as the forwarded headers of a trusted proxy give it.</summary>
    private static string ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string? Validate(Credentials body)
    {
        if (body.Username is null || !UserNamePattern().IsMatch(body.Username))
        {
            return "Username must be 3 to 32 characters: letters, digits, '_', '.' or '-', " +
                "starting and ending with a letter, digit or '_'.";
        }

        if (body.Password is null || body.Password.Length < MinPasswordLength || body.Password.Length > MaxPasswordLength)
        {
            return $"Password must be {MinPasswordLength} to {MaxPasswordLength} characters.";
        }

        return null;
    }

    private static IResult Taken(string name) =>
        Results.Problem($"The username '{name}' is taken.", statusCode: StatusCodes.Status409Conflict,
            title: "Username taken");

    private static IResult BadCredentials() =>
        Results.Problem("Unknown username or wrong password.", statusCode: StatusCodes.Status401Unauthorized,
            title: "Login failed");

    // A name never ends in '.' or '-', so "@bob." at the end of a sentence mentions bob.
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{1,30}[A-Za-z0-9_]$")]
    private static partial Regex UserNamePattern();
}
