using System.Security.Cryptography;
using EventChat.Api.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventChat.UnitTests.Auth;

public sealed class When_signing_keys_are_configured : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("eventchat-keys-");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_refuse_to_start_in_production_without_a_key_and_generate_one_otherwise(bool production)
    {
        var options = new AuthOptions { KeyFile = Path.Combine(_folder.FullName, "data", "signing-key") };

        if (production)
        {
            var error = Assert.Throws<InvalidOperationException>(() => SigningKeys.Resolve(options, production));
            Assert.Contains("Auth:SigningKey is not set", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(options.KeyFile));
            return;
        }

        var generated = SigningKeys.Resolve(options, production);
        Assert.True(File.Exists(options.KeyFile));
        Assert.Equal(generated.Current.Key, SigningKeys.Resolve(options, production).Current.Key);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.KeyFile));
        }
    }

    [Theory]
    [InlineData("not base64!", "must be base64")]
    [InlineData("c2hvcnQ=", "at least 32 bytes")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "not random")]
    [InlineData("YWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFi", "not random")]
    public void Should_refuse_a_malformed_key(string key, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => SigningKeys.Resolve(new AuthOptions { SigningKey = key }, production: true));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_sign_with_the_current_key_and_accept_tokens_of_previous_keys()
    {
        var oldKey = NewKey();
        var newKey = NewKey();
        var before = Service(new AuthOptions { SigningKey = oldKey });
        var after = new AuthOptions { SigningKey = newKey, PreviousSigningKeys = [oldKey] };
        var afterKeys = SigningKeys.Resolve(after, production: true);

        var oldToken = before.CreateAccessToken(Guid.NewGuid(), "alice");
        var newToken = new TokenService(after, afterKeys, TimeProvider.System).CreateAccessToken(Guid.NewGuid(), "bob");

        Assert.True((await ValidateAsync(oldToken, afterKeys)).IsValid);
        Assert.True((await ValidateAsync(newToken, afterKeys)).IsValid);
        Assert.Equal(afterKeys.Current.KeyId, new JsonWebToken(newToken).Kid);
        Assert.NotEqual(afterKeys.Current.KeyId, new JsonWebToken(oldToken).Kid);

        // Once the old key is dropped, what it signed is refused; a token of an unknown key never passes.
        var dropped = SigningKeys.Resolve(new AuthOptions { SigningKey = newKey }, production: true);
        Assert.False((await ValidateAsync(oldToken, dropped)).IsValid);
        var stranger = Service(new AuthOptions { SigningKey = NewKey() }).CreateAccessToken(Guid.NewGuid(), "eve");
        Assert.False((await ValidateAsync(stranger, afterKeys)).IsValid);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private static TokenService Service(AuthOptions options) =>
        new(options, SigningKeys.Resolve(options, production: true), TimeProvider.System);

    private static Task<TokenValidationResult> ValidateAsync(string token, SigningKeys keys) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "eventchat",
            ValidAudience = "eventchat",
            IssuerSigningKeys = keys.Accepted,
        });
}
