using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>
/// Validates <c>Webhooks:*</c> for every command, so a bad key fails at start naming it. The public key is
/// parsed only when webhooks are enabled; its text is never echoed.
/// </summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (!TryParseListen(options.Listen, out _))
        {
            failures.Add("Webhooks:Listen must be an http:// or https:// URL with an IP address or localhost and a port, e.g. http://0.0.0.0:8090.");
        }

        if (string.IsNullOrWhiteSpace(options.Path) || !options.Path.StartsWith('/') || options.Path.Contains('?') || options.Path.Contains('#'))
        {
            failures.Add("Webhooks:Path must be a request path starting with '/', e.g. /webhooks/freshchat.");
        }

        if (options.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add("Webhooks:MaxBodyBytes must be between 1024 and 67108864.");
        }

        foreach (var (key, value, min, max) in new[]
                 {
                     ("AckTimeout", options.AckTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
                     ("DedupTtl", options.DedupTtl, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
                     ("QuietPollInterval", options.QuietPollInterval, TimeSpan.Zero, TimeSpan.FromDays(1)),
                     ("GapWarningAfter", options.GapWarningAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
                 })
        {
            if (value < min || value > max)
            {
                failures.Add($"Webhooks:{key} must be between {min} and {max}.");
            }
        }

        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.PublicKey))
            {
                failures.Add("Webhooks:PublicKey is required when Webhooks:Enabled is true: paste the RSA public key shown on Freshchat's Admin > Webhooks page.");
            }
            else if (!WebhookSignature.TryCreate(options.PublicKey, out _, out var problem))
            {
                failures.Add($"Webhooks:PublicKey is not a usable RSA public key: {problem}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The port of a valid <c>Webhooks:Listen</c> URL.</summary>
    public static bool TryParseListen(string? listen, out int port)
    {
        port = 0;
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.IsDefaultPort && !listen!.Contains($":{uri.Port}", StringComparison.Ordinal) || uri.AbsolutePath != "/")
        {
            return false;
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        port = uri.Port;
        return port is > 0 and <= 65535;
    }
}
