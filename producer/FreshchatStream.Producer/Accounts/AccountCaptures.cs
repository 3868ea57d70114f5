using System.Collections.Concurrent;
using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// The accounts this process captures right now, each in its <see cref="AccountCaptureHost"/>. Starting and
/// stopping an account are chained per account, so a revocation that arrives while the account is still starting
/// waits for the start and then stops it. An account whose capture ends by itself on a fatal error (a revoked API
/// key) is stopped alone: the other accounts go on, and the failure shows in <see cref="Failures"/> and the log.
/// </summary>
public sealed class AccountCaptures(
    IReadOnlyList<ConfiguredAccount> accounts,
    CaptureRun run,
    SharedCaptureServices shared,
    ILogger<AccountCaptures> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task<AccountCaptureHost?>> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CaptureFailure> _failures = new(StringComparer.Ordinal);

    public IReadOnlyList<ConfiguredAccount> Accounts { get; } = accounts;

    /// <summary>The names of the accounts captured now (started or starting).</summary>
    public IReadOnlyCollection<string> Running => [.. _running.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Accounts whose capture stopped on a fatal error, with the error.</summary>
    public IReadOnlyDictionary<string, CaptureFailure> Failures => _failures;

    /// <summary>The hosts started so far, without waiting for those still starting.</summary>
    public IReadOnlyList<AccountCaptureHost> Started =>
        [.. _running.Values.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).OfType<AccountCaptureHost>().OrderBy(h => h.Account.Name, StringComparer.Ordinal)];

    /// <summary>The running hosts (for tests and <c>--once</c>).</summary>
    public async Task<IReadOnlyList<AccountCaptureHost>> HostsAsync() =>
        [.. (await Task.WhenAll(_running.Values)).OfType<AccountCaptureHost>()];

    /// <summary>Builds every account's host once and disposes it: options are validated, nothing is reached.</summary>
    public void Validate()
    {
        foreach (var account in Accounts)
        {
            AccountCaptureHost.Build(account, run, shared).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Starts capturing <paramref name="accounts"/> (those not running yet); returns at once.</summary>
    public void Start(IEnumerable<ConfiguredAccount> accounts, CancellationToken stopping)
    {
        foreach (var account in accounts)
        {
            _running.GetOrAdd(account.Name, _ => Task.Run(() => StartOneAsync(account, stopping), CancellationToken.None));
        }
    }

    /// <summary>Stops capturing <paramref name="accounts"/>: each ends its cycle, flushes and commits before this returns.</summary>
    public Task StopAsync(IEnumerable<ConfiguredAccount> accounts, CancellationToken cancellationToken) =>
        Task.WhenAll(accounts.Select(a => StopOneAsync(a.Name, cancellationToken)));

    public Task StopAllAsync(CancellationToken cancellationToken) => Task.WhenAll(_running.Keys.ToList().Select(n => StopOneAsync(n, cancellationToken)));

    private async Task<AccountCaptureHost?> StartOneAsync(ConfiguredAccount account, CancellationToken stopping)
    {
        var host = AccountCaptureHost.Build(account, run, shared);
        try
        {
            await host.StartAsync(stopping);
        }
        catch (Exception e)
        {
            await host.DisposeAsync();
            if (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                _failures[account.Name] = FailureClassifier.Classify(e);
                Log.AccountFailed(logger, account.Name, e.Message);
            }

            return null;
        }

        Log.AccountStarted(logger, account.Name, account.Partition, account.KeyPrefix, account.TopicPrefix);
        host.Lifetime.ApplicationStopping.Register(() => _ = EndedByItselfAsync(host));
        return host;
    }

    // The worker stops its own host after --once or on a fatal error; a stop we asked for goes through StopOneAsync.
    private async Task EndedByItselfAsync(AccountCaptureHost host)
    {
        if (host.Outcome.Failure is { } failure)
        {
            _failures[host.Account.Name] = failure;
            Log.AccountFailed(logger, host.Account.Name, failure.Message);
        }

        if (!run.Once)
        {
            await StopOneAsync(host.Account.Name, CancellationToken.None);
        }
    }

    private async Task StopOneAsync(string name, CancellationToken cancellationToken)
    {
        if (!_running.TryRemove(name, out var starting))
        {
            return;
        }

        var host = await starting;
        if (host is null)
        {
            return;
        }

        await host.StopAsync(cancellationToken);
        await host.DisposeAsync();
        Log.AccountStopped(logger, name);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync(CancellationToken.None);
    }
}
