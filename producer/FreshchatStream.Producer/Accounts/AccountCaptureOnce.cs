using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Hosting;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// <c>run --once</c> and <c>snapshot</c> with <c>Accounts:*</c>: one cycle of every configured account in this
/// process, side by side, without joining the assignment group (a one-off run is no member of the fleet). The
/// process's outcome is the first account failure, named after its account.
/// </summary>
public sealed class AccountCaptureOnce(AccountCaptures captures, CaptureOutcome outcome, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        captures.Start(captures.Accounts, stoppingToken);
        var hosts = await captures.HostsAsync();
        try
        {
            await Task.WhenAll(hosts.Select(h => Ended(h.Lifetime.ApplicationStopping))).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped from outside: the accounts stop below, each flushing and committing what Kafka acknowledged.
        }

        foreach (var host in hosts.Where(h => h.Outcome.Failure is not null))
        {
            var failure = host.Outcome.Failure!;
            outcome.Fail(failure with { Message = $"account {host.Account.Name}: {failure.Message}" });
        }

        foreach (var (account, failure) in captures.Failures)
        {
            outcome.Fail(failure with { Message = $"account {account}: {failure.Message}" });
        }

        await captures.StopAllAsync(CancellationToken.None);
        lifetime.StopApplication();
    }

    private static Task Ended(CancellationToken stopping)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopping.Register(() => ended.TrySetResult());
        return ended.Task;
    }
}
