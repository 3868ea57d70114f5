using System.Diagnostics;
using System.Globalization;
using FreshchatStream.Producer.Capture.Progress;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// One capture cycle: loads cursors and meta, runs every strategy serving a selected resource in
/// <see cref="CaptureCatalogue"/> order (whatever order the strategies were registered in), each in its own <see cref="CaptureBatch"/>, and records per
/// resource when it last ran, succeeded and how many events it published (read by <c>status</c>). A
/// resource that fails transiently does not stop the others; a fatal failure ends the cycle with
/// <see cref="CaptureFatalException"/>.
/// </summary>
public sealed class CaptureCycle(
    IEnumerable<IResourceCapture> captures,
    StateLossRecovery recovery,
    IFreshchatClient freshchat,
    ICursorStore store,
    IChangeSink sink,
    IOptions<CaptureOptions> options,
    CaptureAccount account,
    CaptureMetrics metrics,
    FreshchatMetrics requests,
    CaptureProgress progress,
    TimeProvider time,
    ILogger<CaptureCycle> logger,
    ListingRejects rejects,
    EndpointAccess access)
{
    private readonly IReadOnlyList<IResourceCapture> _captures = [.. captures.OrderBy(c => CaptureCatalogue.OrderOf(c.GetType()))];
    private readonly CaptureOptions _options = options.Value;

    public async Task<CycleReport> RunAsync(CaptureRun run, CancellationToken cancellationToken)
    {
        using var activity = CaptureMetrics.ActivitySource.StartActivity(run.Push ? "capture push cycle" : "capture cycle");
        activity?.SetTag("freshchat.account", account.Name);
        activity?.SetTag("capture.mode", run.Mode.ToString().ToLowerInvariant());
        CycleReport report;
        try
        {
            report = await RunCycleAsync(run, cancellationToken);
        }
        catch (CaptureFatalException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Failure.Kind.ToString());
            throw;
        }

        activity?.SetTag("capture.events", report.Events);
        activity?.SetTag("capture.failed_resources", report.Results.Count(r => !r.Succeeded));
        if (!report.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "a resource failed");
        }

        return report;
    }

    private async Task<CycleReport> RunCycleAsync(CaptureRun run, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        IReadOnlyDictionary<string, ResourceCursor> cursors;
        IReadOnlyDictionary<string, string> meta;
        try
        {
            meta = await store.LoadMetaAsync(cancellationToken);
            if (!meta.ContainsKey(RedisKeys.StateCreatedAtField))
            {
                await recovery.PrepareAsync(startedAt, cancellationToken);
                await store.EnsureStateMarkerAsync(startedAt, cancellationToken);
                meta = await store.LoadMetaAsync(cancellationToken);
            }

            // Once per process at most: state written by an earlier release is brought to the current layout before it is read.
            if (!_upgraded)
            {
                await store.UpgradeAsync(cancellationToken);
                _upgraded = true;
            }

            cursors = await store.LoadCursorsAsync(cancellationToken);
            Interlocked.Exchange(ref _deadLetters, long.TryParse(meta.GetValueOrDefault(MetaFields.DeadLetters), CultureInfo.InvariantCulture, out var dead) ? dead : 0);
        }
        catch (Exception e) when (e is not OperationCanceledException and not LeaseLostException)
        {
            var failure = FailureClassifier.Classify(e);
            Log.CycleNotStarted(logger, failure.Message);
            return new CycleReport(startedAt, [.. run.Resources.Select(r => new ResourcePassResult(r, false, 0, new Dictionary<string, int>(), failure, TimeSpan.Zero))]);
        }

        var selected = run.Resources.ToHashSet(StringComparer.Ordinal);
        var results = new List<ResourcePassResult>();
        var answeredBefore = requests.AnsweredSuccessfully;
        var refusedBefore = access.Refusals;
        var runnable = _captures.Select(c => (Capture: c, Served: c.Resources.Where(selected.Contains).ToList())).Where(p => p.Served.Count > 0).ToList();
        for (var next = 0; next < runnable.Count;)
        {
            // Consecutive independent catalogues run concurrently (each in its own batch): at real latencies their
            // few requests would otherwise leave most of the budget idle. The rest run one after another.
            var group = runnable.Skip(next).TakeWhile(p => CaptureCatalogue.IsIndependentCatalogue(p.Capture.GetType())).ToList();
            if (group.Count == 0)
            {
                group = [runnable[next]];
            }

            var passes = await Task.WhenAll(group.Select(p => RunPassAsync(p.Capture, p.Served, selected, run, startedAt, cursors, meta, cancellationToken)));
            results.AddRange(passes.SelectMany(p => p));
            next += group.Count;
        }

        if (!run.Push)
        {
            _cataloguesListed = true;
        }

        ThrowIfEverythingForbidden(run, requests.AnsweredSuccessfully > answeredBefore, access.Refusals > refusedBefore, results.All(r => r.Succeeded));
        var report = new CycleReport(startedAt, results);
        if (report.Succeeded && !run.Push && !string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.Resnapshot)))
        {
            await EndResnapshotAsync(cancellationToken);
        }

        if (run.Push)
        {
            Log.PushCycleDone(logger, report.Events, (time.GetUtcNow() - startedAt).TotalSeconds);
            return report;
        }

        Log.CycleDone(logger, run.Mode, report.Events, results.Count(r => r.Succeeded), results.Count, (time.GetUtcNow() - startedAt).TotalSeconds);
        if (run.Mode == CaptureMode.Changes && _options.Heartbeat)
        {
            await PublishHeartbeatAsync(report);
        }

        return report;
    }

    /// <summary>One event per cycle on <c>heartbeat</c>; best effort: a lost heartbeat is logged, never fails the cycle.</summary>
    private async Task PublishHeartbeatAsync(CycleReport report)
    {
        try
        {
            var batch = sink.BeginBatch();
            await batch.AddAsync(CycleHeartbeat.ToChangeEvent(account.Name, report.StartedAt, time.GetUtcNow() - report.StartedAt, report.Events,
                [.. report.Results.Where(r => r.Succeeded).Select(r => r.Resource)], [.. report.Results.Where(r => !r.Succeeded).Select(r => r.Resource)], time.GetUtcNow()));
            var outcome = await batch.CompleteAsync();
            if (!outcome.AllDelivered)
            {
                Log.HeartbeatFailed(logger, outcome.Failures.FirstOrDefault()?.Reason ?? "not acknowledged");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.HeartbeatFailed(logger, e.Message);
        }
    }

    /// <summary>Every resource was re-captured after a state loss; from now on first-seen entities are new again (<c>c</c>).</summary>
    private async Task EndResnapshotAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CommitAsync(new StateCommit().SetMeta(MetaFields.Resnapshot, string.Empty), cancellationToken);
        }
        catch (CursorStoreUnavailableException e)
        {
            Log.CycleNotStarted(logger, e.Message); // the next successful cycle ends it; until then r is merely conservative
        }
    }

    private async Task<IReadOnlyList<ResourcePassResult>> RunPassAsync(IResourceCapture capture, List<string> served, IReadOnlySet<string> selected,
        CaptureRun run, DateTimeOffset startedAt, IReadOnlyDictionary<string, ResourceCursor> cursors, IReadOnlyDictionary<string, string> meta,
        CancellationToken cancellationToken)
    {
        var name = string.Join("+", served);
        using var activity = CaptureMetrics.ActivitySource.StartActivity("capture pass");
        activity?.SetTag("capture.resource", name);
        if (!run.Push && ForbiddenAwaitingRetry(served, meta, startedAt) is { } waiting)
        {
            Log.ForbiddenSkipped(logger, name, waiting);
            return [.. served.Select(r => new ResourcePassResult(r, true, 0, new Dictionary<string, int>(), null, TimeSpan.Zero) { ForbiddenEndpoint = waiting, Skipped = true })];
        }

        if (CatalogueCadence.IsPaced(capture.GetType())
            && CatalogueCadence.DeferredUntil(served, run, !_cataloguesListed, meta, _options, startedAt) is { } due)
        {
            // Left out on purpose: not a failure, and its lag counts from here (it is as current as its cadence promises).
            Log.CatalogueDeferred(logger, name, due);
            foreach (var resource in served)
            {
                metrics.Pass(resource, "deferred", TimeSpan.Zero);
            }

            return [.. served.Select(r => new ResourcePassResult(r, true, 0, new Dictionary<string, int>(), null, TimeSpan.Zero) { Skipped = true })];
        }

        var passProgress = progress.Begin(name, run, cursors);
        var batch = new CaptureBatch(sink, store, _options.BatchSize, passProgress.Acknowledged)
        {
            ScannedForDeletions = capture.ScannedForDeletions,
        };
        var context = new CaptureContext(freshchat, store, batch, selected, run.Mode, startedAt, account.Name, _options, cursors, meta,
            string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.Resnapshot)) ? ChangeOp.Create : ChangeOp.Snapshot, run.Push) { Progress = passProgress };
        var stopwatch = Stopwatch.StartNew();
        using var spentRequests = requests.CountRequests();
        try
        {
            await capture.CaptureAsync(context, cancellationToken);
            await DeadLetterRejectsAsync(batch, name, cancellationToken);
            foreach (var resource in run.Push ? [] : served)
            {
                if (meta.GetValueOrDefault(MetaFields.Forbidden(resource)) is { Length: > 0 } answeredAgain)
                {
                    batch.State.SetMeta(MetaFields.Forbidden(resource), string.Empty).SetMeta(MetaFields.ForbiddenAt(resource), string.Empty)
                        .SetMeta(MetaFields.ForbiddenEndpoint(answeredAgain), string.Empty);
                    access.Answered(answeredAgain);
                }
            }

            var spent = spentRequests.Count.ToString(CultureInfo.InvariantCulture);
            // status reports regular cycles; a push cycle between them would overwrite their figures
            foreach (var resource in run.Push ? [] : served)
            {
                batch.State.SetMeta(MetaFields.LastRequests(resource), spent);
                batch.State.SetMeta(MetaFields.LastCycleAt(resource), MetaFields.Format(startedAt));
                batch.State.SetMeta(MetaFields.LastSuccessAt(resource), MetaFields.Format(startedAt));
                batch.State.SetMeta(MetaFields.LastError(resource), string.Empty);
                batch.State.SetMeta(MetaFields.ConsecutiveFailures(resource), "0");
                batch.State.SetMeta(MetaFields.LastEvents(resource), batch.Added(resource).ToString(CultureInfo.InvariantCulture));
            }

            await batch.FlushAsync(cancellationToken);
            passProgress.Succeed();
            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            metrics.Pass(name, "ok", stopwatch.Elapsed);
            activity?.SetTag("capture.events", batch.Acknowledged);
            Log.PassDone(logger, name, batch.Acknowledged, Describe(batch.AcknowledgedByOp), stopwatch.Elapsed.TotalSeconds);
            return [.. served.Select(r => new ResourcePassResult(r, true, batch.Added(r), ByOp(batch), null, stopwatch.Elapsed))];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what librdkafka already holds is still waited for and committed (see CaptureBatch).
            await TryFlushAsync(batch, name);
            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            throw;
        }
        catch (LeaseLostException)
        {
            // Superseded: another instance captures the account now. Nothing more is published or committed here.
            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            metrics.Pass(name, "lease_lost", stopwatch.Elapsed);
            throw;
        }
        catch (FreshchatForbiddenException e) when (!run.Push)
        {
            // Tokens carry per-resource scopes: only this pass is disabled, until Capture:ReconcileInterval has passed.
            access.Refused(e.Endpoint, startedAt);
            await TryDeadLetterRejectsAsync(batch, name);
            foreach (var resource in served)
            {
                batch.State.SetMeta(MetaFields.Forbidden(resource), e.Endpoint).SetMeta(MetaFields.ForbiddenAt(resource), MetaFields.Format(startedAt))
                    .SetMeta(MetaFields.LastCycleAt(resource), MetaFields.Format(startedAt)).SetMeta(MetaFields.LastError(resource), string.Empty)
                    .SetMeta(MetaFields.ConsecutiveFailures(resource), "0");
            }

            if (string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.ForbiddenEndpoint(e.Endpoint))))
            {
                batch.State.SetMeta(MetaFields.ForbiddenEndpoint(e.Endpoint), MetaFields.Format(startedAt));
            }

            await TryFlushAsync(batch, name);
            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            metrics.Pass(name, "forbidden", stopwatch.Elapsed);
            return [.. served.Select(r => new ResourcePassResult(r, true, batch.Added(r), ByOp(batch), null, stopwatch.Elapsed) { ForbiddenEndpoint = e.Endpoint })];
        }
        catch (Exception e)
        {
            var failure = FailureClassifier.Classify(e);
            if (!failure.IsFatal)
            {
                // Keep the progress made before the failure; staged state matches the events added.
                await TryDeadLetterRejectsAsync(batch, name);
                await TryFlushAsync(batch, name);
            }

            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            metrics.Pass(name, failure.Kind.ToString().ToLowerInvariant(), stopwatch.Elapsed);
            activity?.SetTag("capture.events", batch.Acknowledged);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Kind.ToString());
            await RecordFailureAsync(served, failure, startedAt, meta);
            if (failure.Unexpected)
            {
                Log.PassUnexpected(logger, e, name);
            }

            if (failure.IsFatal)
            {
                throw new CaptureFatalException(failure, e);
            }

            Log.PassFailed(logger, name, failure.Kind, failure.Message, batch.Acknowledged);
            return [.. served.Select(r => new ResourcePassResult(r, false, batch.Added(r), ByOp(batch), failure, stopwatch.Elapsed))];
        }
        finally
        {
            await RecordDeadLettersAsync(name, batch.DeadLettered);
            progress.End(passProgress);
        }
    }

    /// <summary>
    /// Only when no resource at all could be read is a 403 fatal: a token that may read nothing here, which is
    /// typically a host of another datacenter (a wrong <c>Freshchat:BaseUrl</c>) rather than a missing scope.
    /// </summary>
    /// <param name="noOtherFailure">
    /// No pass failed for another reason: an outage (5xx, timeouts) on the other endpoints says nothing about the token.
    /// </param>
    private void ThrowIfEverythingForbidden(CaptureRun run, bool anythingRead, bool anythingForbidden, bool noOtherFailure)
    {
        if (run.Push || anythingRead || !anythingForbidden || !noOtherFailure)
        {
            return;
        }

        var endpoints = string.Join(", ", access.Forbidden.Keys.Order(StringComparer.Ordinal));
        throw new CaptureFatalException(CaptureFailure.Fatal(ExitCodes.Upstream,
            $"Freshchat answered 403 on every endpoint the cycle asked ({endpoints}) and nothing could be read: this API token can read nothing on this host. " +
            "Check Freshchat:BaseUrl (the account's own datacenter host, e.g. https://acme.freshchat.com/v2) and Freshchat:ApiKey (its scopes)."));
    }

    /// <summary>The endpoint whose 403 disabled every resource of the pass, when <c>Capture:ReconcileInterval</c> has not yet passed since.</summary>
    private string? ForbiddenAwaitingRetry(List<string> served, IReadOnlyDictionary<string, string> meta, DateTimeOffset now)
    {
        string? endpoint = null;
        foreach (var resource in served)
        {
            if (meta.GetValueOrDefault(MetaFields.Forbidden(resource)) is not { Length: > 0 } forbidden
                || MetaFields.ParseTime(meta.GetValueOrDefault(MetaFields.ForbiddenAt(resource))) is not { } at
                || now - at >= _options.ReconcileInterval)
            {
                return null;
            }

            endpoint = forbidden;
        }

        return endpoint;
    }

    /// <summary>
    /// Dead-letters the listing items the client set aside during the pass, in the pass's own batch: the cursor that
    /// moves past them commits only after their dead letters are persisted. An item already dead-lettered (same raw
    /// text) is not written again each time a full listing meets it.
    /// </summary>
    private async Task DeadLetterRejectsAsync(CaptureBatch batch, string name, CancellationToken cancellationToken)
    {
        var items = rejects.Drain();
        if (items.Count == 0)
        {
            return;
        }

        var byHash = items.GroupBy(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{i.Endpoint}\n{i.RawText}"))))
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var known = await store.GetFingerprintsAsync(DeadLetteredItems, [.. byHash.Keys], cancellationToken);
        foreach (var (hash, item) in byHash)
        {
            if (known.ContainsKey(hash))
            {
                continue;
            }

            await batch.AddRejectedAsync(item, cancellationToken);
            batch.State.SetFingerprint(DeadLetteredItems, hash, MetaFields.Format(time.GetUtcNow()));
        }

        Log.ItemsRejected(logger, name, items.Count, items.Count - known.Count);
    }

    private async Task TryDeadLetterRejectsAsync(CaptureBatch batch, string name)
    {
        try
        {
            await DeadLetterRejectsAsync(batch, name, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FlushFailed(logger, name, e.Message); // the items are listed again next cycle
        }
    }

    /// <summary>Pseudo-resource of the state store: hashes of listing items already dead-lettered.</summary>
    public const string DeadLetteredItems = "dead_lettered_items";

    private async Task RecordDeadLettersAsync(string name, int count)
    {
        if (count == 0)
        {
            return;
        }

        var total = Interlocked.Add(ref _deadLetters, count);
        try
        {
            await store.CommitAsync(new StateCommit().SetMeta(MetaFields.DeadLetters, total.ToString(CultureInfo.InvariantCulture))
                .SetMeta(MetaFields.LastDeadLetter, $"{MetaFields.Format(time.GetUtcNow())} ({name})"), CancellationToken.None);
        }
        catch (CursorStoreUnavailableException e)
        {
            Log.FlushFailed(logger, name, e.Message);
        }
        catch (LeaseLostException e)
        {
            Log.FlushFailed(logger, name, e.Message); // the pass itself ends on the lost lease
        }
    }

    private long _deadLetters;

    // Whether a regular cycle of this process already ran the catalogue passes: the first lists them all whatever their
    // due time, so a restart (a new release, a changed configuration) never waits Capture:CatalogueInterval for them.
    private bool _cataloguesListed;

    // Whether this process already brought the stored state to the current layout (ICursorStore.UpgradeAsync).
    private bool _upgraded;

    private async Task TryFlushAsync(CaptureBatch batch, string name)
    {
        try
        {
            await batch.FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.FlushFailed(logger, name, e.Message);
        }
    }

    private async Task RecordFailureAsync(List<string> served, CaptureFailure failure, DateTimeOffset startedAt, IReadOnlyDictionary<string, string> meta)
    {
        var commit = new StateCommit();
        foreach (var resource in served)
        {
            var failures = int.TryParse(meta.GetValueOrDefault(MetaFields.ConsecutiveFailures(resource)), CultureInfo.InvariantCulture, out var n) ? n + 1 : 1;
            commit.SetMeta(MetaFields.LastCycleAt(resource), MetaFields.Format(startedAt))
                .SetMeta(MetaFields.LastError(resource), failure.Message.Length > 500 ? failure.Message[..500] : failure.Message)
                .SetMeta(MetaFields.ConsecutiveFailures(resource), failures.ToString(CultureInfo.InvariantCulture));
            if (failures >= _options.StalledCycleWarning)
            {
                Log.Stalled(logger, resource, failures, meta.GetValueOrDefault(MetaFields.LastSuccessAt(resource)) ?? "never");
            }
        }

        try
        {
            await store.CommitAsync(commit, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.FlushFailed(logger, string.Join("+", served), e.Message); // Redis itself may be what failed
        }
    }

    private static Dictionary<string, int> ByOp(CaptureBatch batch) =>
        batch.AcknowledgedByOp.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value, StringComparer.Ordinal);

    private static string Describe(IReadOnlyDictionary<ChangeOp, int> byOp) =>
        byOp.Count == 0 ? "no changes" : string.Join(", ", byOp.Select(p => $"{p.Value} {p.Key.ToString().ToLowerInvariant()}"));
}
