using System.Diagnostics;
using System.Globalization;
using FreshchatStream.Producer.Capture.Progress;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// One capture cycle: loads cursors and meta, runs every strategy serving a selected resource in
/// <see cref="CaptureResources.All"/> order, each in its own <see cref="CaptureBatch"/>, and records per
/// resource when it last ran, succeeded and how many events it published (read by <c>status</c>). A
/// resource that fails transiently does not stop the others; a fatal failure ends the cycle with
/// <see cref="CaptureFatalException"/>.
/// </summary>
public sealed partial class CaptureCycle(
    IEnumerable<IResourceCapture> captures,
    StateLossRecovery recovery,
    IFreshchatClient freshchat,
    ICursorStore store,
    ChangeEventPublisher publisher,
    IOptions<CaptureOptions> options,
    CaptureAccount account,
    CaptureMetrics metrics,
    FreshchatMetrics requests,
    CaptureProgress progress,
    TimeProvider time,
    ILogger<CaptureCycle> logger)
{
    private readonly IReadOnlyList<IResourceCapture> _captures = [.. captures];
    private readonly CaptureOptions _options = options.Value;

    public async Task<CycleReport> RunAsync(CaptureRun run, CancellationToken cancellationToken)
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

            cursors = await store.LoadCursorsAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = FailureClassifier.Classify(e);
            LogCycleFailed(logger, failure.Message);
            return new CycleReport(startedAt, [.. run.Resources.Select(r => new ResourcePassResult(r, false, 0, new Dictionary<string, int>(), failure, TimeSpan.Zero))]);
        }

        var selected = run.Resources.ToHashSet(StringComparer.Ordinal);
        var results = new List<ResourcePassResult>();
        foreach (var capture in _captures)
        {
            var served = capture.Resources.Where(selected.Contains).ToList();
            if (served.Count == 0)
            {
                continue;
            }

            results.AddRange(await RunPassAsync(capture, served, selected, run, startedAt, cursors, meta, cancellationToken));
        }

        var report = new CycleReport(startedAt, results);
        if (report.Succeeded && !run.Push && !string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.Resnapshot)))
        {
            await EndResnapshotAsync(cancellationToken);
        }

        if (run.Push)
        {
            LogPushCycle(logger, report.Events, (time.GetUtcNow() - startedAt).TotalSeconds);
            return report;
        }

        LogCycle(logger, run.Mode, report.Events, results.Count(r => r.Succeeded), results.Count, (time.GetUtcNow() - startedAt).TotalSeconds);
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
            var batch = publisher.BeginBatch();
            await batch.AddAsync(CycleHeartbeat.ToChangeEvent(account.Name, report.StartedAt, time.GetUtcNow() - report.StartedAt, report.Events,
                [.. report.Results.Where(r => r.Succeeded).Select(r => r.Resource)], [.. report.Results.Where(r => !r.Succeeded).Select(r => r.Resource)], time.GetUtcNow()));
            var outcome = await batch.CompleteAsync();
            if (!outcome.AllDelivered)
            {
                LogHeartbeatFailed(logger, outcome.Failures.FirstOrDefault()?.Reason ?? "not acknowledged");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHeartbeatFailed(logger, e.Message);
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
            LogCycleFailed(logger, e.Message); // the next successful cycle ends it; until then r is merely conservative
        }
    }

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "The cycle's heartbeat was not published: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);

    private async Task<IReadOnlyList<ResourcePassResult>> RunPassAsync(IResourceCapture capture, List<string> served, IReadOnlySet<string> selected,
        CaptureRun run, DateTimeOffset startedAt, IReadOnlyDictionary<string, ResourceCursor> cursors, IReadOnlyDictionary<string, string> meta,
        CancellationToken cancellationToken)
    {
        var name = string.Join("+", served);
        var passProgress = progress.Begin(name, run, cursors);
        var batch = new CaptureBatch(publisher, store, _options.BatchSize, passProgress.Acknowledged)
        {
            ScannedForDeletions = capture.ScannedForDeletions,
        };
        var context = new CaptureContext(freshchat, store, batch, selected, run.Mode, startedAt, account.Name, _options, cursors, meta,
            string.IsNullOrEmpty(meta.GetValueOrDefault(MetaFields.Resnapshot)) ? ChangeOp.Create : ChangeOp.Snapshot, run.Push) { Progress = passProgress };
        var stopwatch = Stopwatch.StartNew();
        var requestsBefore = requests.RequestsSent;
        try
        {
            await capture.CaptureAsync(context, cancellationToken);
            var spent = (requests.RequestsSent - requestsBefore).ToString(CultureInfo.InvariantCulture);
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
            LogPass(logger, name, batch.Acknowledged, Describe(batch.AcknowledgedByOp), stopwatch.Elapsed.TotalSeconds);
            return [.. served.Select(r => new ResourcePassResult(r, true, batch.Added(r), ByOp(batch), null, stopwatch.Elapsed))];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what librdkafka already holds is still waited for and committed (see CaptureBatch).
            await TryFlushAsync(batch, name);
            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            throw;
        }
        catch (Exception e)
        {
            var failure = FailureClassifier.Classify(e);
            if (!failure.IsFatal)
            {
                // Keep the progress made before the failure; staged state matches the events added.
                await TryFlushAsync(batch, name);
            }

            metrics.Acknowledged(name, batch.AcknowledgedByOp);
            metrics.Pass(name, failure.Kind.ToString().ToLowerInvariant(), stopwatch.Elapsed);
            await RecordFailureAsync(served, failure, startedAt, meta);
            if (failure.Unexpected)
            {
                LogUnexpected(logger, e, name);
            }

            if (failure.IsFatal)
            {
                throw new CaptureFatalException(failure, e);
            }

            LogPassFailed(logger, name, failure.Kind, failure.Message, batch.Acknowledged);
            return [.. served.Select(r => new ResourcePassResult(r, false, batch.Added(r), ByOp(batch), failure, stopwatch.Elapsed))];
        }
        finally
        {
            progress.End(passProgress);
        }
    }

    private async Task TryFlushAsync(CaptureBatch batch, string name)
    {
        try
        {
            await batch.FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFlushFailed(logger, name, e.Message);
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
                LogStalled(logger, resource, failures, meta.GetValueOrDefault(MetaFields.LastSuccessAt(resource)) ?? "never");
            }
        }

        try
        {
            await store.CommitAsync(commit, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFlushFailed(logger, string.Join("+", served), e.Message); // Redis itself may be what failed
        }
    }

    private static Dictionary<string, int> ByOp(CaptureBatch batch) =>
        batch.AcknowledgedByOp.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value, StringComparer.Ordinal);

    private static string Describe(IReadOnlyDictionary<ChangeOp, int> byOp) =>
        byOp.Count == 0 ? "no changes" : string.Join(", ", byOp.Select(p => $"{p.Value} {p.Key.ToString().ToLowerInvariant()}"));

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "{Resource}: {Events} event(s) acknowledged ({Detail}) in {Seconds:F2} s")]
    private static partial void LogPass(ILogger logger, string resource, int events, string detail, double seconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "{Resource}: pass failed ({Kind}): {Reason}; {Acknowledged} event(s) acknowledged before it; the next cycle retries")]
    private static partial void LogPassFailed(ILogger logger, string resource, CaptureFailureKind kind, string reason, int acknowledged);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Cycle ({Mode}) done: {Events} event(s), {Succeeded}/{Total} resource(s) succeeded in {Seconds:F2} s")]
    private static partial void LogCycle(ILogger logger, CaptureMode mode, int events, int succeeded, int total, double seconds);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "Push cycle done: {Events} event(s) from conversations signalled by webhooks in {Seconds:F2} s")]
    private static partial void LogPushCycle(ILogger logger, int events, double seconds);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Cycle could not start: {Reason}")]
    private static partial void LogCycleFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "{Resource}: could not acknowledge the events already published ({Reason}); they will be repeated")]
    private static partial void LogFlushFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "{Resource} has failed {Failures} consecutive cycles (last success: {LastSuccess}); its lag is growing")]
    private static partial void LogStalled(ILogger logger, string resource, int failures, string lastSuccess);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "{Resource}: unexpected failure")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string resource);
}
