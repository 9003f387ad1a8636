namespace EventChat.Api.Web;

/// <summary>How the edge meets browsers and the proxy in front of it.</summary>
public sealed class WebOptions
{
    /// <summary>Origins (scheme, host and port) whose pages may call the API and the hub; none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Empty, with
    /// <see cref="KnownNetworks"/> empty too: the loopback addresses only, where the local cluster's nginx is.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks in CIDR form (<c>10.0.0.0/8</c>) whose proxies are believed, like <see cref="KnownProxies"/>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row may add to <c>X-Forwarded-For</c>.</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Sends <c>Strict-Transport-Security</c> on HTTPS requests (as the proxy reports them) outside Development.</summary>
    public bool Hsts { get; set; } = true;

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Redirects plain HTTP to HTTPS; off by default, since the load balancer usually does that.</summary>
    public bool HttpsRedirection { get; set; }

    public void Validate()
    {
        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                throw new InvalidOperationException(
                    $"Web:CorsOrigins has \"{origin}\", which is not an origin such as https://chat.example.com.");
            }
        }

        if (KnownProxies.FirstOrDefault(p => !System.Net.IPAddress.TryParse(p, out _)) is string proxy)
        {
            throw new InvalidOperationException($"Web:KnownProxies has \"{proxy}\", which is not an IP address.");
        }

        if (KnownNetworks.FirstOrDefault(n => !System.Net.IPNetwork.TryParse(n, out _)) is string network)
        {
            throw new InvalidOperationException($"Web:KnownNetworks has \"{network}\", which is not a CIDR network.");
        }

        if (ForwardLimit < 1)
        {
            throw new InvalidOperationException("Web:ForwardLimit must be 1 or more.");
        }
    }
}
