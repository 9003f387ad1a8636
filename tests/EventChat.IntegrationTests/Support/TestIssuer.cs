using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace EventChat.IntegrationTests.Support;

/// <summary>
/// A minimal OpenID Connect issuer on a loopback port: a discovery document and the public half of an RSA key it
/// generates, and RS256 tokens signed with that key. Only what a relying party reads to validate tokens.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = RandomNumberGenerator.GetHexString(16, lowercase: true);
    private readonly Task _serving;

    public TestIssuer()
    {
        var port = Ports.Free();
        Authority = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add($"{Authority}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Authority { get; }

    /// <summary>
    /// A signed token for <paramref name="subject"/> (none if null). By default it is valid for this issuer's key
    /// for five minutes; another key or a time in the past makes it one a relying party must refuse.
    /// </summary>
    public string Token(
        string? subject, string userName, string audience, DateTimeOffset? expires = null, RSA? signWith = null)
    {
        var now = DateTimeOffset.UtcNow;
        var exp = expires ?? now.AddMinutes(5);
        var payload = new Dictionary<string, object>
        {
            ["iss"] = Authority,
            ["aud"] = audience,
            ["preferred_username"] = userName,
            ["iat"] = Math.Min(now.ToUnixTimeSeconds(), exp.ToUnixTimeSeconds() - 60),
            ["nbf"] = Math.Min(now.ToUnixTimeSeconds(), exp.ToUnixTimeSeconds() - 60),
            ["exp"] = exp.ToUnixTimeSeconds(),
        };
        if (subject is not null)
        {
            payload["sub"] = subject;
        }

        return Jwt.Create(new { alg = "RS256", typ = "JWT", kid = _keyId }, payload,
            data => (signWith ?? _key).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var response = context.Response;
            object? body = context.Request.Url?.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new
                {
                    issuer = Authority,
                    jwks_uri = $"{Authority}/jwks",
                    id_token_signing_alg_values_supported = new[] { "RS256" },
                },
                "/jwks" => new { keys = new[] { PublicKey() } },
                _ => null,
            };
            response.StatusCode = body is null ? 404 : 200;
            if (body is not null)
            {
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
            }
        }
    }

    private object PublicKey()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new
        {
            kty = "RSA",
            use = "sig",
            alg = "RS256",
            kid = _keyId,
            n = Jwt.Base64Url(parameters.Modulus!),
            e = Jwt.Base64Url(parameters.Exponent!),
        };
    }
}
