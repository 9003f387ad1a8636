using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace EventChat.Api.Auth;

/// <summary>
/// The key that signs access tokens, and the keys whose tokens are accepted: the current one and the previous ones
/// still listed. Each carries a key id derived from the key itself, so every edge names a key alike without any
/// more configuration, and a token says which key to check it with.
/// </summary>
public sealed class SigningKeys
{
    private const int MinimumBytes = 32;
    private const int MinimumDistinctBytes = 8;

    private SigningKeys(SymmetricSecurityKey current, IReadOnlyList<SecurityKey> accepted)
    {
        Current = current;
        Accepted = accepted;
    }

    public SymmetricSecurityKey Current { get; }

    public IReadOnlyList<SecurityKey> Accepted { get; }

    /// <summary>
    /// The configured keys, or for the embedded default a key generated once into its data folder. In production a
    /// key must be configured: edges that each invented their own would reject each other's tokens, and a key lost
    /// with a machine would sign everyone out.
    /// </summary>
    public static SigningKeys Resolve(AuthOptions options, bool production)
    {
        var text = options.SigningKey;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (production)
            {
                throw new InvalidOperationException(
                    "Auth:SigningKey is not set. In production (ConnectionStrings:Postgres set, or the environment " +
                    "is Production) EventChat needs a signing key: a base64 key of at least 32 bytes, the same on " +
                    "every edge, for example from `openssl rand -base64 48`. Or set Auth:Authority to trust an " +
                    "external OpenID Connect issuer instead.");
            }

            text = LoadOrCreate(Path.GetFullPath(options.KeyFile));
        }

        var current = Parse(text, "Auth:SigningKey");
        var accepted = new List<SecurityKey> { current };
        for (var i = 0; i < options.PreviousSigningKeys.Length; i++)
        {
            var previous = Parse(options.PreviousSigningKeys[i], $"Auth:PreviousSigningKeys:{i}");
            if (accepted.All(k => k.KeyId != previous.KeyId))
            {
                accepted.Add(previous);
            }
        }

        return new SigningKeys(current, accepted);
    }

    private static SymmetricSecurityKey Parse(string text, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{setting} must be base64.", ex);
        }

        if (bytes.Length < MinimumBytes)
        {
            throw new InvalidOperationException($"{setting} must decode to at least {MinimumBytes} bytes.");
        }

        // Catches a placeholder (all zeros, one repeated character) left in place of a real random key.
        if (bytes.Distinct().Count() < MinimumDistinctBytes)
        {
            throw new InvalidOperationException(
                $"{setting} is not random: make one with `openssl rand -base64 48`.");
        }

        // A hash of the key names it; twelve bytes of it tell keys apart and say nothing about the key.
        return new SymmetricSecurityKey(bytes) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(bytes)[..12]) };
    }

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
