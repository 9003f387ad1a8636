using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Api.Auth;

/// <summary>How a user row starts, whoever vouches for the user: with a name no other user has in any case.</summary>
public static class LocalUsers
{
    public static Task<bool> NameTakenAsync(ChatDbContext db, string name, CancellationToken cancellationToken)
    {
        var normalized = name.ToLowerInvariant();
        return db.Users.AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }

    /// <summary>A user without a password, which no login matches until one is set.</summary>
    public static User New(string name, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        UserName = name,
        NormalizedUserName = name.ToLowerInvariant(),
        PasswordHash = string.Empty,
        CreatedAt = now,
    };
}
