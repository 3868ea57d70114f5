using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// The webhook ingress of every configured account, served at <c>{Webhooks:Path}/{account}</c> on any instance,
/// whichever accounts it captures. Each account's ingress is built over the account's configuration view, like its
/// capture: it verifies with <c>Accounts:{name}:Webhooks:PublicKey</c> (the top-level key when unset), publishes to the
/// account's topics with its <c>__account</c>, and records the push signal and the acknowledged ids in the account's
/// Redis namespace, where the instance holding the account's lease takes the signal.
/// </summary>
public sealed class AccountWebhooks : IAsyncDisposable
{
    private readonly Dictionary<string, IHost> _hosts;
    private readonly Dictionary<string, WebhookIngress> _ingresses;

    private AccountWebhooks(Dictionary<string, IHost> hosts)
    {
        _hosts = hosts;
        _ingresses = hosts.ToDictionary(p => p.Key, p => p.Value.Services.GetRequiredService<WebhookIngress>(), StringComparer.Ordinal);
    }

    /// <summary>The ingress of <paramref name="account"/>, or null for a name that is not configured.</summary>
    public WebhookIngress? For(string account) => _ingresses.GetValueOrDefault(account);

    /// <summary>Builds every account's ingress and validates its options, naming <c>Accounts:{name}:Webhooks:*</c>.</summary>
    /// <exception cref="ConfigurationErrorException">An account's webhook key does not parse.</exception>
    public static AccountWebhooks Build(IEnumerable<ConfiguredAccount> accounts, SharedCaptureServices shared, WebhookMetrics metrics)
    {
        var hosts = new Dictionary<string, IHost>(StringComparer.Ordinal);
        try
        {
            foreach (var account in accounts)
            {
                hosts[account.Name] = BuildHost(account, shared, metrics);
            }
        }
        catch
        {
            foreach (var host in hosts.Values)
            {
                host.Dispose();
            }

            throw;
        }

        return new AccountWebhooks(hosts);
    }

    private static IHost BuildHost(ConfiguredAccount account, SharedCaptureServices shared, WebhookMetrics metrics)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(account.Configuration, shouldDisposeConfiguration: false);
        shared.AddTo(builder.Services, account);
        builder.Services.AddSingleton(metrics);
        builder.AddCursorStore();
        builder.AddChangePublisher();
        builder.Services.TryAddSingleton(CaptureAccount.FromConfiguration(builder.Configuration));
        // The same signal store the account's capture reads (AddCapture), in the account's namespace.
        builder.Services.TryAddSingleton<IConversationSignalStore>(provider => new RedisConversationSignalStore(provider.GetRequiredService<RedisCursorStore>()));
        builder.Services.TryAddSingleton(provider => new ConversationSignals(provider.GetRequiredService<IConversationSignalStore>(),
            provider.GetRequiredService<ILogger<ConversationSignals>>()));
        builder.AddWebhooks();
        var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        if (!WebhookSignature.TryCreate(options.PublicKey ?? string.Empty, out _, out var problem))
        {
            host.Dispose();
            throw new ConfigurationErrorException($"{AccountsConfiguration.Section}:{account.Name}:Webhooks:PublicKey (or Webhooks:PublicKey) is not a usable RSA public key: {problem}.");
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
