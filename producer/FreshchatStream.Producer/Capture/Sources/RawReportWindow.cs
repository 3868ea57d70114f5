using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// The life of one raw report event's next time window: <c>POST /reports/raw</c> for
/// [window end, now − settle delay] (at most <c>Capture:Reports:MaxWindow</c>, at least
/// <c>Capture:Reports:MinWindow</c>), poll until the job and every one of its links is done (SUCCESS/COMPLETED) or
/// something FAILED (a job or link still PENDING/IN_PROGRESS is kept in the cursor and polled next cycle; a job
/// COMPLETED with a FAILED link is a failed window), stream every row to a callback, and advance the window end — staged with the
/// batch, so it commits only after the rows' events were acknowledged. A FAILED job is retried with
/// exponential backoff. The window's state is a typed <see cref="ReportWindowState"/>, kept in the resource's cursor.
/// </summary>
public sealed partial class RawReportWindow(TimeProvider time, ILogger<RawReportWindow> logger)
{
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromHours(6);

    /// <summary>Runs the next window of <paramref name="eventName"/> whose state lives in <paramref name="resource"/>'s cursor.</summary>
    /// <param name="firstStart">Where the first window starts (default: now − <c>Capture:Reports:Lookback</c>).</param>
    /// <param name="maxWindow">Longest window (default: <c>Capture:Reports:MaxWindow</c>).</param>
    public async Task<ResourceCursor> RunAsync(CaptureContext context, string resource, string eventName, ResourceCursor cursor,
        Func<RawReportRow, RawReportWindowBounds, ValueTask> onRow, CancellationToken cancellationToken, Action? onWindowDone = null,
        DateTimeOffset? firstStart = null, TimeSpan? maxWindow = null)
    {
        var options = context.Options.Reports;
        var state = ReportWindowState.Of(cursor, eventName);
        if (state.RetryAt is { } retryAt && retryAt > context.Now)
        {
            return cursor;
        }

        if (state.JobId is null)
        {
            var start = state.WindowEnd ?? firstStart ?? context.Now - options.Lookback;
            var end = Min(context.Now - options.SettleDelay, start + (maxWindow ?? options.MaxWindow));
            if (end <= start || end - start < options.MinWindow)
            {
                return cursor;
            }

            var created = await context.Freshchat.CreateRawReportAsync(new RawReportRequest(eventName, start, end, options.ExcludePii ? true : null), cancellationToken);
            state = state.WithJob(created.Id, start, end);
            cursor = state.ApplyTo(cursor, eventName);
            // Remember the job before waiting for it: a restart then polls it instead of asking for another.
            context.Batch.State.SetCursor(resource, cursor);
            await context.Batch.FlushAsync(cancellationToken);
            LogRequested(logger, eventName, start, end, created.Id);
        }

        var job = await WaitAsync(context, state.JobId!, options.PollTimeout, cancellationToken);
        var bounds = new RawReportWindowBounds(state.JobStart!.Value, state.JobEnd!.Value);
        if (job.IsFailed || job.HasFailedLink)
        {
            var failures = state.Failures + 1;
            var backoff = TimeSpan.FromTicks(Math.Min(options.RetryBackoff.Ticks * (1L << Math.Min(failures - 1, 20)), MaxRetryBackoff.Ticks));
            cursor = state.Failed(context.Now + backoff).ApplyTo(cursor, eventName);
            context.Batch.State.SetCursor(resource, cursor)
                .SetMeta(MetaFields.LastReportFailure(resource),
                    $"{eventName} {MetaFields.Format(bounds.Start)}..{MetaFields.Format(bounds.End)} FAILED {failures}x; retried after {MetaFields.Format(context.Now + backoff)}");
            LogFailed(logger, eventName, job.Id, job.HasFailedLink && !job.IsFailed ? "COMPLETED with a FAILED link" : "FAILED", failures, backoff);
            return cursor;
        }

        if (!job.IsReady)
        {
            // A job can be COMPLETED while one of its links is still PENDING/IN_PROGRESS: the window waits for all.
            LogPending(logger, eventName, job.Id, job.Status ?? "no status", job.LinkStatuses.Count(RawReportJob.IsDone), job.LinkStatuses.Count);
            return cursor;
        }

        var rows = 0L;
        await foreach (var row in context.Freshchat.ReadRawReportRowsAsync(job, cancellationToken))
        {
            await onRow(row, bounds);
            rows++;
        }

        onWindowDone?.Invoke();
        cursor = state.Completed(bounds.End).ApplyTo(cursor, eventName);
        context.Batch.State.SetCursor(resource, cursor).SetMeta(MetaFields.LastReportFailure(resource), string.Empty);
        LogCompleted(logger, eventName, rows, bounds.End);
        return cursor;
    }

    private async Task<RawReportJob> WaitAsync(CaptureContext context, string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var job = await context.Freshchat.GetRawReportAsync(jobId, cancellationToken);
            if (job.IsReady || job.IsFailed || job.HasFailedLink || time.GetUtcNow() + delay > deadline)
            {
                return job;
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(EventId = 350, Level = LogLevel.Information, Message = "raw report {Event}: requested {Start:O}..{End:O} (job {JobId})")]
    private static partial void LogRequested(ILogger logger, string @event, DateTimeOffset start, DateTimeOffset end, string jobId);

    [LoggerMessage(EventId = 351, Level = LogLevel.Information, Message = "raw report {Event}: job {JobId} not ready ({Status}, {Done}/{Links} link(s) done); polled again next cycle, the window is not committed")]
    private static partial void LogPending(ILogger logger, string @event, string jobId, string status, int done, int links);

    [LoggerMessage(EventId = 352, Level = LogLevel.Warning, Message = "raw report {Event}: job {JobId} {Outcome} ({Failures} time(s)); the window is requested again in {Backoff}")]
    private static partial void LogFailed(ILogger logger, string @event, string jobId, string outcome, int failures, TimeSpan backoff);

    [LoggerMessage(EventId = 353, Level = LogLevel.Information, Message = "raw report {Event}: {Rows} row(s); window done up to {End:O}")]
    private static partial void LogCompleted(ILogger logger, string @event, long rows, DateTimeOffset end);
}

/// <summary>The time window a raw report job covers.</summary>
public readonly record struct RawReportWindowBounds(DateTimeOffset Start, DateTimeOffset End);
