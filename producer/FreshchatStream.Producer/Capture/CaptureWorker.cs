using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The capture loop: one <see cref="CaptureCycle"/> per <c>Capture:PollInterval</c> (measured start to start)
/// until the host stops, or exactly one for <c>run --once</c> and <c>snapshot</c>. Between cycles, a push signal
/// (a verified webhook) starts a push cycle over just the signalled conversations at once; cycles never overlap.
/// Transient failures are left to the next cycle; a fatal one is recorded in <see cref="CaptureOutcome"/> and stops
/// the host. On stop the producer is flushed before the host disposes it, so nothing produced is left unreported.
/// With a fenced Redis store, capture runs only while this instance holds the account's <see cref="CaptureLease"/>:
/// <c>run</c> stands by (no Freshchat request) while another instance holds it and takes over when it expires or is
/// released; losing it cancels the cycle at once; stopping releases it after the last commit. <c>run --once</c> and
/// <c>snapshot</c> wait up to <c>Capture:LeaseWaitTimeout</c> for it and fail with exit 3 naming the holder.
/// </summary>
public sealed class CaptureWorker(
    CaptureCycle cycle,
    CaptureRun run,
    CaptureOutcome outcome,
    Progress.CaptureProgress progress,
    ConversationSignals signals,
    IChangeSink sink,
    KafkaConnection connection,
    IHostApplicationLifetime lifetime,
    IOptions<CaptureOptions> options,
    IOptions<KafkaOptions> kafka,
    TimeProvider time,
    ILogger<CaptureWorker> logger,
    ICursorStore store,
    CaptureMetrics metrics) : BackgroundService
{
    private readonly CaptureLease? _lease = (store as RedisCursorStore)?.Fence;

    // Renewal outlives the stopping token: the lease is kept through the final flush and commit, then released.
    private readonly CancellationTokenSource _renewal = new();
    private Task _renewing = Task.CompletedTask;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_lease is not null)
        {
            metrics.TrackLease(_lease);
        }

        Log.CaptureStarting(logger, run.Mode, string.Join(",", run.Resources), run.Once ? "once" : $"every {options.Value.PollInterval}");
        try
        {
            // Registers schemas and creates topics up front so a rejected schema stops the process now, not mid-cycle.
            await sink.InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = FailureClassifier.Classify(e);
            if (failure.IsFatal)
            {
                Stop(failure);
                return;
            }

            Log.InitializationDeferred(logger, failure.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (_lease is null)
            {
                await CaptureLoopAsync(stoppingToken);
            }
            else if (run.Once)
            {
                await CaptureOnceUnderLeaseAsync(_lease, stoppingToken);
            }
            else
            {
                await CaptureWhileHoldingAsync(_lease, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cycle already flushed and committed what Kafka acknowledged.
        }
        catch (LeaseUnavailableException e)
        {
            Stop(CaptureFailure.Fatal(Commands.ExitCodes.Upstream, e.Message));
            return;
        }
        catch (CursorStoreUnavailableException e) when (run.Once)
        {
            // Redis went away between the start-up probe and the lease acquisition: nothing was read or published.
            Stop(FailureClassifier.Classify(e));
            return;
        }
        catch (CaptureFatalException e)
        {
            Stop(e.Failure);
            return;
        }
        catch (Exception e)
        {
            Log.LoopUnexpected(logger, e);
            Stop(CaptureFailure.Failed($"{e.GetType().Name}: {e.Message}", unexpected: true));
            return;
        }

        if (run.Once)
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>Cycles until <paramref name="token"/> is cancelled (the host stops, or the lease is lost); one cycle for <c>--once</c>.</summary>
    private async Task CaptureLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            var report = await cycle.RunAsync(run, token);
            await progress.EndCycleAsync(CancellationToken.None);
            outcome.Record(report);
            if (run.Once)
            {
                if (!report.Succeeded)
                {
                    var failed = report.Results.First(r => !r.Succeeded);
                    outcome.Fail(failed.Failure ?? CaptureFailure.Failed($"{failed.Resource} failed."));
                }

                return;
            }

            await WaitForNextCycleAsync(started + options.Value.PollInterval, token);
        }
    }

    /// <summary><c>run --once</c> and <c>snapshot</c>: the lease for one cycle, waited for up to <c>Capture:LeaseWaitTimeout</c>.</summary>
    private async Task CaptureOnceUnderLeaseAsync(CaptureLease lease, CancellationToken stoppingToken)
    {
        await lease.AcquireAsync(lease.WaitTimeout, stoppingToken);
        StartRenewal(lease);
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.HeldToken);
        try
        {
            await CaptureLoopAsync(held.Token);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested && (e is LeaseLostException || (e is OperationCanceledException && lease.Current is null)))
        {
            throw new CaptureFatalException(CaptureFailure.Failed(
                $"account {lease.Account}: the lease was lost during the cycle (another instance took it over, or Redis could not confirm it for Capture:LeaseTtl); " +
                "nothing more was committed, the account's holder captures the rest."));
        }
    }

    /// <summary>
    /// <c>run</c>: stands by while another instance holds the lease (retrying every third of the TTL, and at once when
    /// the holder announces a release), captures while holding it, and goes back to standby when it is lost.
    /// </summary>
    private async Task CaptureWhileHoldingAsync(CaptureLease lease, CancellationToken stoppingToken)
    {
        LeaseStatus? announced = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            LeaseAttempt attempt;
            try
            {
                attempt = await lease.TryAcquireAsync(stoppingToken);
            }
            catch (CursorStoreUnavailableException e)
            {
                Log.LeaseUnreachable(logger, lease.Account, e.Message);
                await Task.Delay(lease.RenewInterval, time, stoppingToken);
                continue;
            }

            if (!attempt.Acquired)
            {
                if (announced is null || announced.Holder != attempt.Status.Holder || announced.Epoch != attempt.Status.Epoch)
                {
                    Log.Standby(logger, lease.Account, attempt.Status.Holder ?? "-", attempt.Status.Epoch);
                    announced = attempt.Status;
                }

                await lease.WaitForReleaseAsync(lease.RenewInterval, stoppingToken);
                continue;
            }

            announced = null;
            StartRenewal(lease);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.HeldToken);
            try
            {
                await CaptureLoopAsync(held.Token);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && (e is LeaseLostException || (e is OperationCanceledException && lease.Current is null)))
            {
                // The cycle was cancelled where it stood; what it had produced was waited for, and its commit refused.
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            lease.MarkLost("capture ended without the lease");
            Log.BackToStandby(logger, lease.Account);
        }
    }

    private void StartRenewal(CaptureLease lease)
    {
        var held = lease.HeldToken;
        _renewing = Task.Run(async () =>
        {
            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(_renewal.Token, held);
            try
            {
                while (true)
                {
                    await Task.Delay(lease.RenewInterval, time, renewing.Token);
                    if (!await lease.RenewAsync(CancellationToken.None))
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // released, lost or stopping
            }
        });
    }

    /// <summary>Waits until <paramref name="next"/>, running a push cycle whenever signals arrive meanwhile.</summary>
    private async Task WaitForNextCycleAsync(DateTimeOffset next, CancellationToken stoppingToken)
    {
        var push = run with { Resources = [.. run.Resources.Where(r => r is CaptureCatalogue.Conversations or CaptureCatalogue.Messages)], Push = true };
        while (time.GetUtcNow() is var now && now < next)
        {
            if (run.Mode != CaptureMode.Changes || push.Resources.Count == 0)
            {
                await Task.Delay(next - now, time, stoppingToken);
                return;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(next - now, time, waiting.Token);
            var signalled = signals.WaitAsync(waiting.Token);
            var first = await Task.WhenAny(delay, signalled);
            await waiting.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
            if (first != signalled)
            {
                return;
            }

            await cycle.RunAsync(push, stoppingToken);
            await progress.EndCycleAsync(CancellationToken.None);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var left = connection.Flush(kafka.Value.FlushTimeout);
        if (left > 0)
        {
            Log.FlushIncomplete(logger, left);
        }

        await _renewal.CancelAsync();
        await _renewing;
        if (_lease is { Current: not null })
        {
            // Last: everything acknowledged is committed, so a standby taking over now repeats nothing it need not.
            try
            {
                await _lease.ReleaseAsync(CancellationToken.None);
            }
            catch (CursorStoreUnavailableException e)
            {
                Log.LeaseUnreachable(logger, _lease.Account, e.Message); // it expires after Capture:LeaseTtl instead
            }
        }
    }

    public override void Dispose()
    {
        _renewal.Dispose();
        base.Dispose();
    }

    private void Stop(CaptureFailure failure)
    {
        outcome.Fail(failure);
        Log.CaptureFatal(logger, failure.Message);
        lifetime.StopApplication();
    }
}
