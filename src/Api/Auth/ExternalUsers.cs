using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventChat.Api.Auth;

/// <summary>
/// The local user of each external identity: found by issuer and subject, or created the first time that identity
/// is seen, with a name taken from its token. Rooms, messages and presence then work on the local id alone.
/// </summary>
public sealed partial class ExternalUsers(
    IServiceScopeFactory scopes, AuthOptions options, TimeProvider clock, ILogger<ExternalUsers> logger) : IDisposable
{
    /// <summary>
    /// OpenID Connect's bound on a subject. A few thousand characters more can be too big for the index that finds
    /// users by it, and the user could not be stored.
    /// </summary>
    public const int MaxSubjectLength = 255;

    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>The local user of the token's identity, or null if the token names no usable subject.</summary>
    public async Task<(Guid UserId, string UserName)?> FindOrCreateAsync(
        ClaimsPrincipal external, CancellationToken cancellationToken)
    {
        if (external.FindFirst(JwtRegisteredClaimNames.Sub) is not { } subject
            || string.IsNullOrWhiteSpace(subject.Value) || subject.Value.Length > MaxSubjectLength)
        {
            return null;
        }

        var issuer = external.FindFirst(JwtRegisteredClaimNames.Iss)?.Value ?? subject.Issuer;
        var key = (issuer, subject.Value);
        if (_known.TryGetValue(key, out (Guid, string) known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
        var user = await FindAsync(db, issuer, subject.Value, cancellationToken)
            ?? await CreateAsync(db, external, issuer, subject.Value, cancellationToken);
        known = (user.Id, user.UserName);
        _known.Set(key, known, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return known;
    }

    public void Dispose() => _known.Dispose();

    private async Task<User> CreateAsync(
        ChatDbContext db, ClaimsPrincipal external, string issuer, string subject, CancellationToken cancellationToken)
    {
        var suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{issuer}\n{subject}")));
        var wanted = UserNameFrom(external.FindFirst(options.NameClaim)?.Value ?? external.FindFirst("name")?.Value);
        string[] candidates = wanted is null
            ? [$"user_{suffix[..12]}"]
            : [wanted, $"{wanted[..Math.Min(wanted.Length, 25)]}_{suffix[..6]}", $"user_{suffix[..12]}"];
        foreach (var name in candidates)
        {
            if (await LocalUsers.NameTakenAsync(db, name, cancellationToken))
            {
                continue;
            }

            var user = LocalUsers.New(name, clock.GetUtcNow());
            user.ExternalIssuer = issuer;
            user.ExternalSubject = subject;
            db.Users.Add(user);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                Log.Created(logger, user.Id, issuer);
                return user;
            }
            catch (DbUpdateException)
            {
                // Another edge created this identity's user at the same moment, or took the name first.
                db.ChangeTracker.Clear();
                if (await FindAsync(db, issuer, subject, cancellationToken) is { } existing)
                {
                    return existing;
                }
            }
        }

        throw new InvalidOperationException($"No free user name for the identity {subject} of {issuer}.");
    }

    private static Task<User?> FindAsync(ChatDbContext db, string issuer, string subject, CancellationToken ct) =>
        db.Users.AsNoTracking()
            .SingleOrDefaultAsync(u => u.ExternalIssuer == issuer && u.ExternalSubject == subject, ct);

    /// <summary>
    /// The name as far as it fits EventChat's user names, so that mentions of it work; null if nothing does.
    /// </summary>
    private static string? UserNameFrom(string? claimed)
    {
        if (string.IsNullOrWhiteSpace(claimed))
        {
            return null;
        }

        var name = new StringBuilder(32);
        foreach (var c in claimed.Trim())
        {
            if (name.Length == 32)
            {
                break;
            }

            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_');
        }

        var trimmed = name.ToString().Trim('.', '-');
        return AuthEndpoints.IsValidUserName(trimmed) ? trimmed : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8003, EventName = "ExternalUserCreated", Level = LogLevel.Information,
            Message = "Created local user {UserId} for an identity of {Issuer}")]
        public static partial void Created(ILogger logger, Guid userId, string issuer);
    }
}
