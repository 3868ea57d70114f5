namespace FreshchatStream.Producer.Freshchat.Pagination;

/// <summary>
/// Turns the hrefs Freshchat returns into request URLs. Paging links are relative paths that already carry the
/// version segment (<c>/v2/users?page=2</c>), so they are joined to the configured host while keeping any path
/// prefix in front of <c>/v2</c> (myfreshworks-style bases such as <c>https://x.myfreshworks.com/crm/messaging/v2</c>);
/// absolute hrefs (pre-signed report downloads) are used as they are.
/// </summary>
public static class ApiLinkResolver
{
    /// <summary>
    /// Resolves <paramref name="pathOrHref"/> against <paramref name="baseUri"/> (the API root ending in a slash):
    /// an absolute http(s) URL as is, a <c>/v2/...</c> path on the base's host under its prefix, any other
    /// rooted path on the base's host, and a relative path (<c>users?x=1</c>) under the API root.
    /// </summary>
    public static Uri Resolve(Uri baseUri, string pathOrHref)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(pathOrHref);
        if (Uri.TryCreate(pathOrHref, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        if (pathOrHref.StartsWith('/'))
        {
            var basePath = baseUri.AbsolutePath.TrimEnd('/');
            var versionAt = basePath.LastIndexOf('/');
            var version = versionAt >= 0 ? basePath[versionAt..] : string.Empty; // "/v2"
            var prefix = version.Length > 0 && pathOrHref.StartsWith(version + "/", StringComparison.Ordinal) ? basePath[..versionAt] : string.Empty;
            return new Uri(baseUri, prefix + pathOrHref);
        }

        return new Uri(baseUri, pathOrHref);
    }

    /// <summary>True when <paramref name="url"/> is on the API's own scheme, host and port — the only place the bearer token may go.</summary>
    public static bool IsApiHost(Uri baseUri, Uri url) =>
        Uri.Compare(url, baseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
