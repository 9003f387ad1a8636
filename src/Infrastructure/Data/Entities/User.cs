namespace EventChat.Infrastructure.Data.Entities;

public sealed class User
{
    public Guid Id { get; set; }

    public required string UserName { get; set; }

    /// <summary>Lower-case invariant form of <see cref="UserName"/>; unique, so names differ by more than case.</summary>
    public required string NormalizedUserName { get; set; }

    /// <summary>Empty for a user of an external issuer, which no password matches.</summary>
    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An invisible user appears offline to everyone else.</summary>
    public bool Invisible { get; set; }

    /// <summary>
    /// The issuer that vouches for this user when EventChat trusts an external one; null for local accounts.
    /// </summary>
    public string? ExternalIssuer { get; set; }

    /// <summary>The user's subject at <see cref="ExternalIssuer"/>.</summary>
    public string? ExternalSubject { get; set; }
}
