namespace EventChat.IntegrationTests.Support;

/// <summary>Every cluster test shares one cluster and runs one at a time, since some of them kill its processes.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
