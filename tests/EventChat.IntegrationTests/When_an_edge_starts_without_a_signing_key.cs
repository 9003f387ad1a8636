using EventChat.IntegrationTests.Support;

namespace EventChat.IntegrationTests;

/// <summary>
/// An edge in production refuses to start without a signing key, rather than invent one that the other edges
/// would not know. It stops before it touches any service.
/// </summary>
public sealed class When_an_edge_starts_without_a_signing_key : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("eventchat-nokey-").FullName;

    [Theory]
    [InlineData("Production", "Host=127.0.0.1;Database=eventchat_never_created")]
    [InlineData("Production", "")]
    [InlineData("Development", "Host=127.0.0.1;Database=eventchat_never_created")]
    public async Task Should_exit_with_a_message_that_names_the_setting(string environment, string postgres)
    {
        await using var edge = new ManagedProcess("nokey", RepoPaths.ApiDll,
            ["--urls", $"http://127.0.0.1:{Ports.Free()}"],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["DOTNET_ENVIRONMENT"] = environment,
                ["ConnectionStrings__Postgres"] = postgres,
                ["ConnectionStrings__RabbitMq"] = "",
                ["ConnectionStrings__Redis"] = "",
                ["Storage__SqlitePath"] = Path.Combine(_dataDir, "eventchat.db"),
                ["Auth__KeyFile"] = Path.Combine(_dataDir, "signing-key"),
                ["Auth__SigningKey"] = "",
            },
            workingDirectory: Path.GetDirectoryName(RepoPaths.ApiDll));
        edge.Start();

        var code = await edge.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, code);
        Assert.Contains(edge.Lines, l => l.Contains("Auth:SigningKey is not set", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_dataDir, "signing-key")));
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
