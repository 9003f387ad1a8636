using System.Net;

namespace EventChat.LoadTest.Common;

/// <summary>
/// The tool sends traffic only to loopback addresses: it is meant for servers started on this machine.
/// </summary>
public static class Loopback
{
    public static Uri RequireLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "ws"))
        {
            throw new Cli.UsageException($"'{url}' is not an http:// or ws:// URL.");
        }

        if (uri.UserInfo.Length > 0)
        {
            // Said without the credentials, which would otherwise land in the output and the report.
            throw new Cli.UsageException(
                $"'{uri.Scheme}://{uri.Authority}' carries a user name or password; the tool signs up its own " +
                "users, so give the server's root without them.");
        }

        if (!IPAddress.TryParse(uri.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new Cli.UsageException($"'{url}' is not a loopback address (127.0.0.0/8): the tool only loads local servers.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new Cli.UsageException($"'{url}' has a path or query; give the server's root, e.g. http://127.0.0.1:5000.");
        }

        return uri;
    }

    /// <summary>At least one URL, each of them loopback.</summary>
    public static IReadOnlyList<Uri> RequireUrls(IReadOnlyList<string> urls) =>
        urls.Count > 0
            ? urls.Select(RequireLoopback).ToArray()
            : throw new Cli.UsageException("--urls needs at least one URL.");

    public static IPAddress RequireLoopbackAddress(string text) =>
        IPAddress.TryParse(text, out var address) && IPAddress.IsLoopback(address)
            ? address
            : throw new Cli.UsageException($"--source-ips: '{text}' is not a loopback address.");
}
