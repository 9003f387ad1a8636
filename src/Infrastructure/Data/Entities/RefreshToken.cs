namespace EventChat.Infrastructure.Data.Entities;

/// <summary>
/// One refresh token of a family. A login starts a family; every refresh marks the token it was given as used and
/// adds the next one to the same family, so a used token that comes back can only be a copy.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid FamilyId { get; set; }

    /// <summary>SHA-256 of the token; the token itself is only ever known to the client.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the token was exchanged for the next one of its family.</summary>
    public DateTimeOffset? UsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary><c>logout</c>, or <c>reuse</c> when a used token of the family came back.</summary>
    public string? RevokedReason { get; set; }
}
