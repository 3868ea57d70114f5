using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// Readiness of a multi-account process: unhealthy while an account it was assigned stopped on a fatal error (its
/// capture is off until the process restarts or the account moves), naming the accounts; else the accounts it captures.
/// An instance assigned nothing is ready: it stands by for a rebalance. The description says, per account, whether
/// this instance holds its lease or waits for another holder to let go (during a rebalance).
/// </summary>
public sealed class AccountsReadinessCheck(AccountCaptures captures) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failed = captures.Failures.Where(f => !captures.Running.Contains(f.Key, StringComparer.Ordinal)).Select(f => $"{f.Key}: {f.Value.Message}").ToList();
        var running = captures.Started.Select(h => h.Services.GetService<CaptureLease>()?.Current is { } held
            ? $"{h.Account.Name} (lease epoch {held.Epoch})"
            : $"{h.Account.Name} (waiting for its lease)").ToList();
        return Task.FromResult(failed.Count > 0 ? HealthCheckResult.Unhealthy($"account capture stopped: {string.Join("; ", failed)}")
            : HealthCheckResult.Healthy(running.Count == 0 ? "standby: no account assigned" : $"capturing {string.Join(", ", running)}"));
    }
}
