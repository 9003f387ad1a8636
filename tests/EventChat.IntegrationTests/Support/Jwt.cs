using System.Text;
using System.Text.Json;

namespace EventChat.IntegrationTests.Support;

/// <summary>Writes compact JWTs by hand, so that a test can sign any claims it likes, valid or not.</summary>
public static class Jwt
{
    /// <summary>
    /// The header and payload as JSON, base64url-encoded, and <paramref name="sign"/>'s signature of both.
    /// </summary>
    public static string Create(object header, IReadOnlyDictionary<string, object> payload, Func<byte[], byte[]> sign)
    {
        var signed = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}." +
            Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        return $"{signed}.{Base64Url(sign(Encoding.ASCII.GetBytes(signed)))}";
    }

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
