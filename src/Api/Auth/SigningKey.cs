using System.Security.Cryptography;
using EventChat.Infrastructure.Data;
using Microsoft.IdentityModel.Tokens;

namespace EventChat.Api.Auth;

public static class SigningKey
{
    private const int MinimumBytes = 32;

    /// <summary>
    /// The configured key, or for the embedded default a key generated once into its data folder. A deployment on
    /// PostgreSQL must configure one, since edges that each invented their own would reject each other's tokens.
    /// </summary>
    public static SymmetricSecurityKey Resolve(AuthOptions options, DatabaseOptions database)
    {
        var text = options.SigningKey;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (database.UsePostgres)
            {
                throw new InvalidOperationException(
                    "Auth:SigningKey is required when ConnectionStrings:Postgres is set: a base64 key of at least 32 bytes, the same on every edge.");
            }

            text = LoadOrCreate(Path.GetFullPath(options.KeyFile));
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("Auth:SigningKey must be base64.", ex);
        }

        return bytes.Length >= MinimumBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"Auth:SigningKey must decode to at least {MinimumBytes} bytes.");
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
