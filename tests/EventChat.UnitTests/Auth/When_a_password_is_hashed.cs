using System.Buffers.Binary;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;

namespace EventChat.UnitTests.Auth;

/// <summary>The framework's hasher as EventChat registers it: PBKDF2 in Identity's version 3 format.</summary>
public sealed class When_a_password_is_hashed
{
    private static readonly User Someone =
        new() { UserName = "alice", NormalizedUserName = "alice", PasswordHash = "" };

    [Fact]
    public void Should_use_pbkdf2_with_hmac_sha512_a_random_salt_and_at_least_100000_iterations()
    {
        var hasher = new PasswordHasher<User>();

        var hash = Convert.FromBase64String(hasher.HashPassword(Someone, "correct horse battery staple"));

        // Version 3 layout: marker, PRF, iteration count, salt length (big-endian), salt, subkey.
        Assert.Equal(0x01, hash[0]);
        Assert.Equal((uint)KeyDerivationPrf.HMACSHA512, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 100_000);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9)));
        Assert.Equal(13 + 16 + 32, hash.Length);
        Assert.NotEqual(hasher.HashPassword(Someone, "correct horse battery staple"),
            hasher.HashPassword(Someone, "correct horse battery staple"));
    }

    [Fact]
    public void Should_ask_for_a_new_hash_when_the_stored_one_has_fewer_iterations()
    {
        var weak = new PasswordHasher<User>(Microsoft.Extensions.Options.Options.Create(
            new PasswordHasherOptions { IterationCount = 1_000 }));
        var stored = weak.HashPassword(Someone, "correct horse battery staple");

        var result = new PasswordHasher<User>().VerifyHashedPassword(Someone, stored, "correct horse battery staple");

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, result);
    }
}
