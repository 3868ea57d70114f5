using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// One account's capture inside a multi-account process: a host of its own, built from the very registrations a
/// single-account process uses (<c>AddFreshchatClient</c>, <c>AddCursorStore</c>, <c>AddChangePublisher</c>,
/// <c>AddCapture</c>) over the account's configuration view, with the process-wide services forwarded from
/// <see cref="SharedCaptureServices"/>. So each account gets its own Freshchat client, token bucket and resilience
/// pipeline, Redis namespace, cadences and state-loss check, while the producer, registry client and Redis
/// connection stay one per process. Stopping it runs the capture worker's own shutdown: the cycle ends, the
/// producer is flushed and what Kafka acknowledged is committed.
/// </summary>
public sealed partial class AccountCaptureHost : IAsyncDisposable
{
    private readonly IHost _host;
    private int _stopped;

    private AccountCaptureHost(ConfiguredAccount account, IHost host)
    {
        Account = account;
        _host = host;
        Outcome = host.Services.GetRequiredService<CaptureOutcome>();
        Lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
    }

    public ConfiguredAccount Account { get; }

    public CaptureOutcome Outcome { get; }

    /// <summary>Stopping fires when the account's capture ends by itself (<c>--once</c> done, or a fatal error).</summary>
    public IHostApplicationLifetime Lifetime { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Builds the account's host and validates its options, so a bad account setting fails naming
    /// <c>Accounts:{name}:…</c> before anything is reached.
    /// </summary>
    /// <exception cref="ConfigurationErrorException">An option of the account is invalid.</exception>
    public static AccountCaptureHost Build(ConfiguredAccount account, CaptureRun run, SharedCaptureServices shared)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(account.Configuration, shouldDisposeConfiguration: false);
        builder.Services.AddSingleton<IHostLifetime, AccountHostLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(60));
        shared.AddTo(builder.Services, account);
        builder.AddFreshchatClient();
        builder.AddCursorStore();
        builder.AddChangePublisher();
        builder.AddCapture(run);
        var host = builder.Build();
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            host.Dispose();
            throw new ConfigurationErrorException(string.Join(" ", e.Failures.Select(f => Qualify(account, f))));
        }

        return new AccountCaptureHost(account, host);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _host.StartAsync(cancellationToken);

    /// <summary>Stops capture: the worker ends its cycle, flushes the producer and commits; safe to call twice.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _host.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }

    /// <summary>
    /// <c>Freshchat:ApiKey is required</c> becomes <c>Accounts:acme:Freshchat:ApiKey is required</c>, wherever the
    /// key stands in the message (data-annotation failures quote it); a message naming no key gets the account in front.
    /// </summary>
    private static string Qualify(ConfiguredAccount account, string failure)
    {
        var qualified = SettingKey().Replace(failure, $"{AccountsConfiguration.Section}:{account.Name}:$1:");
        return qualified != failure ? qualified : $"{AccountsConfiguration.Section}:{account.Name}: {failure}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w:])(Freshchat|Capture|Kafka|Redis):(?=[A-Z])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SettingKey();
}
