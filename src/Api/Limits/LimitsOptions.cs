namespace EventChat.Api.Limits;

/// <summary>The per-user and per-address limits every edge enforces, shared through Redis when it is configured.</summary>
public sealed class LimitsOptions
{
    /// <summary>Messages, replies, edits, deletes and reactions one user may send, on all devices together.</summary>
    public RateRule Messages { get; set; } = new(60, TimeSpan.FromSeconds(10));

    /// <summary>Rooms one user may join (joining a room they are already in does not count).</summary>
    public RateRule Joins { get; set; } = new(60, TimeSpan.FromMinutes(1));

    /// <summary>Channels and group conversations one user may create.</summary>
    public RateRule RoomCreations { get; set; } = new(30, TimeSpan.FromHours(1));

    /// <summary>Login attempts for one account name, successful or not.</summary>
    public RateRule LoginsPerAccount { get; set; } = new(10, TimeSpan.FromMinutes(5));

    /// <summary>Login attempts from one client address, whatever the account.</summary>
    public RateRule LoginsPerAddress { get; set; } = new(100, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Accounts one client address may register. Each registration hashes a password on purpose slowly (about
    /// 0.2 s of a core), so without this one address could keep an edge's CPU busy.
    /// </summary>
    public RateRule RegistrationsPerAddress { get; set; } = new(30, TimeSpan.FromHours(1));

    /// <summary>Hub connections one user may hold open at once, across every edge.</summary>
    public int ConnectionsPerUser { get; set; } = 50;

    /// <summary>The largest request body the REST API reads; the hub has its own frame limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public void Validate()
    {
        Messages.Validate(nameof(Messages));
        Joins.Validate(nameof(Joins));
        RoomCreations.Validate(nameof(RoomCreations));
        LoginsPerAccount.Validate(nameof(LoginsPerAccount));
        LoginsPerAddress.Validate(nameof(LoginsPerAddress));
        RegistrationsPerAddress.Validate(nameof(RegistrationsPerAddress));
        if (ConnectionsPerUser < 1)
        {
            throw new InvalidOperationException("Limits:ConnectionsPerUser must be 1 or more.");
        }

        if (MaxRequestBodyBytes is < 1024 or > 100 * 1024 * 1024)
        {
            throw new InvalidOperationException("Limits:MaxRequestBodyBytes must be between 1024 and 104857600.");
        }
    }
}
