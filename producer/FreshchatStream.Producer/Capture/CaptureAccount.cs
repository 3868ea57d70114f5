using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The account name written to <c>__account</c> and <c>ce_source</c>: <c>Capture:Account</c> when set,
/// else the first label of an account host (<c>acme</c> for <c>https://acme.freshchat.com/v2</c>), else the
/// whole host (shared hosts such as <c>api.freshchat.com</c>, or the sandbox).
/// </summary>
public sealed class CaptureAccount(string name)
{
    public string Name { get; } = name;

    public static CaptureAccount FromConfiguration(IConfiguration configuration)
    {
        if (configuration["Capture:Account"] is { Length: > 0 } configured)
        {
            return new CaptureAccount(configured);
        }

        if (!Uri.TryCreate(configuration["Freshchat:BaseUrl"], UriKind.Absolute, out var url))
        {
            return new CaptureAccount("freshchat");
        }

        var host = url.Host;
        var label = host.Split('.')[0];
        var accountHost = (host.EndsWith(".freshchat.com", StringComparison.OrdinalIgnoreCase)
                           || host.EndsWith(".myfreshworks.com", StringComparison.OrdinalIgnoreCase))
                          && !label.Equals("api", StringComparison.OrdinalIgnoreCase);
        return new CaptureAccount(accountHost ? label.ToLowerInvariant() : url.IsDefaultPort ? host : $"{host}:{url.Port}");
    }
}
