using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Auth;

/// <summary>
/// Refresh tokens, stored as hashes. Each login starts a family; each refresh exchanges the token for the next one
/// of the family, once. A token that was already exchanged and comes back is a copy, whoever holds it, so the whole
/// family is revoked and both holders have to log in again.
/// </summary>
public sealed partial class RefreshTokenStore(
    ChatDbContext db, AuthOptions options, TimeProvider clock, ILogger<RefreshTokenStore> logger)
{
    public const string ReasonLogout = "logout";
    public const string ReasonReuse = "reuse";

    /// <summary>Starts a new family for a login and returns its first token.</summary>
    public async Task<string> StartFamilyAsync(Guid userId, CancellationToken cancellationToken)
    {
        var token = Add(userId, Guid.CreateVersion7());
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>
    /// Exchanges a token for the next one of its family. Of any number of concurrent calls with one token, exactly
    /// one gets a new token; the others count as reuse.
    /// </summary>
    /// <returns>The user and the new token, or null when the token is unknown, expired, revoked or used.</returns>
    public async Task<(User User, string Token)?> RotateAsync(
        string token, string? remoteAddress, CancellationToken cancellationToken)
    {
        var hash = TokenService.HashRefreshToken(token);
        var presented = await db.RefreshTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        var now = clock.GetUtcNow();
        if (presented is null || (presented.RevokedAt is not null && presented.UsedAt is null)
            || presented.ExpiresAt <= now)
        {
            return null;
        }

        if (presented.UsedAt is not null)
        {
            await RevokeReusedFamilyAsync(presented, remoteAddress, cancellationToken);
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == presented.UserId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The row lock decides a race: whoever marks the token used first wins, and the others update no row.
        var won = await db.RefreshTokens
            .Where(t => t.Id == presented.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;
        if (!won)
        {
            await transaction.RollbackAsync(cancellationToken);
            var current = await db.RefreshTokens.AsNoTracking()
                .SingleAsync(t => t.Id == presented.Id, cancellationToken);
            if (current.UsedAt is not null)
            {
                await RevokeReusedFamilyAsync(current, remoteAddress, cancellationToken);
            }

            return null;
        }

        var next = Add(user.Id, presented.FamilyId);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (user, next);
    }

    /// <summary>Revokes the family of a token; a logout with an unknown token changes nothing.</summary>
    public async Task RevokeFamilyAsync(string token, CancellationToken cancellationToken)
    {
        var hash = TokenService.HashRefreshToken(token);
        var presented = await db.RefreshTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (presented is not null)
        {
            var revoked = await RevokeAsync(presented.FamilyId, ReasonLogout, cancellationToken);
            Log.LoggedOut(logger, presented.UserId, presented.FamilyId, revoked);
        }
    }

    private string Add(Guid userId, Guid familyId)
    {
        var (token, hash) = TokenService.CreateRefreshToken();
        var now = clock.GetUtcNow();

        // TODO(#5): expired and used rows stay until their user is deleted; a periodic sweep should remove them.
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            FamilyId = familyId,
            TokenHash = hash,
            CreatedAt = now,
            ExpiresAt = now + options.RefreshTokenLifetime,
        });
        return token;
    }

    private async Task RevokeReusedFamilyAsync(RefreshToken reused, string? remoteAddress, CancellationToken ct)
    {
        var revoked = await RevokeAsync(reused.FamilyId, ReasonReuse, ct);
        Log.RefreshTokenReused(logger, reused.UserId, reused.FamilyId, reused.Id, revoked, remoteAddress ?? "unknown");
    }

    private async Task<int> RevokeAsync(Guid familyId, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason),
                cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, EventName = "RefreshTokenReused", Level = LogLevel.Warning,
            Message = "Security: refresh token {TokenId} of user {UserId} was used again after it had been " +
                "exchanged; revoked its family {FamilyId} ({Revoked} tokens revoked), request from {RemoteAddress}")]
        public static partial void RefreshTokenReused(
            ILogger logger, Guid userId, Guid familyId, Guid tokenId, int revoked, string remoteAddress);

        [LoggerMessage(EventId = 8002, EventName = "LoggedOut", Level = LogLevel.Information,
            Message = "User {UserId} logged out: revoked refresh token family {FamilyId} ({Revoked} tokens revoked)")]
        public static partial void LoggedOut(ILogger logger, Guid userId, Guid familyId, int revoked);
    }
}
