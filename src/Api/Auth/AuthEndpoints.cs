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

    /// <summary>The built-in accounts; none of these exist when an external issuer vouches for users instead.</summary>
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<AuthOptions>().UseExternalIssuer)
        {
            return;
        }

        var auth = app.MapGroup("/api/auth");
        auth.MapPost("/register", RegisterAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/refresh", RefreshAsync);
        auth.MapPost("/logout", LogoutAsync);
    }

    private static async Task<IResult> RegisterAsync(
        Credentials body, HttpContext http, ChatDbContext db, IPasswordHasher<User> hasher, RateLimiter limiter,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var problem = Validate(body);
        if (problem is not null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid registration");
        }

        await limiter.EnsureAsync(limiter.RegistrationsPerAddress, ClientAddress(http), cancellationToken);

        var name = body.Username!;
        if (await LocalUsers.NameTakenAsync(db, name, cancellationToken))
        {
            return Taken(name);
        }

        var user = LocalUsers.New(name, clock.GetUtcNow());
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
        RefreshTokenStore refreshTokens, RateLimiter limiter, CancellationToken cancellationToken)
    {
        await limiter.EnsureAsync(limiter.LoginsPerAddress, ClientAddress(http), cancellationToken);
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password)
            || body.Password.Length > MaxPasswordLength)
        {
            return BadCredentials();
        }

        // No account has a name outside the rules, so such a login is refused before any lookup: lower-casing it
        // could otherwise reach a real account by another spelling (the Kelvin sign becomes 'k') and escape its
        // count.
        if (!IsValidUserName(body.Username))
        {
            return BadCredentials();
        }

        var normalized = body.Username.ToLowerInvariant();
        await limiter.EnsureAsync(limiter.LoginsPerAccount, normalized, cancellationToken);

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        var verified = user is null
            ? PasswordVerificationResult.Failed
            : hasher.VerifyHashedPassword(user, user.PasswordHash, body.Password);
        if (verified == PasswordVerificationResult.Failed)
        {
            return BadCredentials();
        }

        // A hash made with fewer iterations than the hasher now uses (or an older format) is replaced while the
        // password is at hand.
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user!.PasswordHash = hasher.HashPassword(user, body.Password);
        }

        var refreshToken = await refreshTokens.StartFamilyAsync(user!.Id, cancellationToken);
        return Results.Ok(new LoginResponse(
            tokens.CreateAccessToken(user.Id, user.UserName), refreshToken, tokens.AccessTokenSeconds, user.Id,
            user.UserName));
    }

    private static async Task<IResult> RefreshAsync(
        RefreshRequest body, RefreshTokenStore refreshTokens, TokenService tokens, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(body.RefreshToken))
        {
            return MissingRefreshToken();
        }

        var remoteAddress = context.Connection.RemoteIpAddress?.ToString();
        var rotated = await refreshTokens.RotateAsync(body.RefreshToken, remoteAddress, cancellationToken);
        if (rotated is not var (user, refreshToken))
        {
            return Results.Problem(
                "The refresh token is unknown, expired, revoked or already used. Log in again.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed");
        }

        return Results.Ok(new LoginResponse(
            tokens.CreateAccessToken(user.Id, user.UserName), refreshToken, tokens.AccessTokenSeconds, user.Id,
            user.UserName));
    }

    /// <summary>
    /// Ends the session the refresh token belongs to, on this device only: the token's family is revoked. Holding
    /// the token is proof enough, so no access token is needed, and one that has expired is no obstacle.
    /// </summary>
    private static async Task<IResult> LogoutAsync(
        RefreshRequest body, RefreshTokenStore refreshTokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(body.RefreshToken))
        {
            return MissingRefreshToken();
        }

        await refreshTokens.RevokeFamilyAsync(body.RefreshToken, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>The client's address, as the forwarded headers of a trusted proxy give it.</summary>
    private static string ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string? Validate(Credentials body)
    {
        if (body.Username is null || !IsValidUserName(body.Username))
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

    public static bool IsValidUserName(string name) => UserNamePattern().IsMatch(name);

    private static IResult MissingRefreshToken() =>
        Results.Problem("refreshToken is required.", statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid request");

    private static IResult BadCredentials() =>
        Results.Problem("Unknown username or wrong password.", statusCode: StatusCodes.Status401Unauthorized,
            title: "Login failed");

    // A name never ends in '.' or '-', so "@bob." at the end of a sentence mentions bob. \z, not $: $ also
    // matches before a final newline, which would make "bob\n" a second account that reads as bob.
    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]{1,30}[A-Za-z0-9_]\z")]
    private static partial Regex UserNamePattern();
}
