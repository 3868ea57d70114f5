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
public sealed class RawReportWindow(TimeProvider time, ILogger<RawReportWindow> logger)
{
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromHours(6);

    /// <summary>Runs the next window of <paramref name="eventName"/> whose state lives in <paramref name="resource"/>'s cursor.</summary>
    /// <param name="cadence">Lookback, window bounds and settle delay (default: <c>Capture:Reports:*</c>).</param>
    /// <param name="firstStart">Where the first window starts (default: now − the cadence's lookback).</param>
    public async Task<ResourceCursor> RunAsync(CaptureContext context, string resource, string eventName, ResourceCursor cursor,
        Func<RawReportRow, RawReportWindowBounds, ValueTask> onRow, CancellationToken cancellationToken, Action? onWindowDone = null,
        RawReportCadence? cadence = null, DateTimeOffset? firstStart = null)
    {
        var options = context.Options.Reports;
        var (lookback, maxWindow, minWindow, settleDelay) = cadence ?? new RawReportCadence(options.Lookback, options.MaxWindow, options.MinWindow, options.SettleDelay);
        var state = ReportWindowState.Of(cursor, eventName);
        if (state.RetryAt is { } retryAt && retryAt > context.Now)
        {
            return cursor;
        }

        if (state.JobId is null)
        {
            var start = state.WindowEnd ?? firstStart ?? context.Now - lookback;
            var end = Min(context.Now - settleDelay, start + maxWindow);
            if (end <= start || end - start < minWindow)
            {
                return cursor;
            }

            var created = await context.Freshchat.CreateRawReportAsync(new RawReportRequest(eventName, start, end, options.ExcludePii ? true : null), cancellationToken);
            state = state.WithJob(created.Id, start, end);
            cursor = state.ApplyTo(cursor, eventName);
            // Remember the job before waiting for it: a restart then polls it instead of asking for another.
            context.Batch.State.SetCursor(resource, cursor);
            await context.Batch.FlushAsync(cancellationToken);
            Log.ReportRequested(logger, eventName, start, end, created.Id);
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
            Log.ReportFailed(logger, eventName, job.Id, job.HasFailedLink && !job.IsFailed ? "COMPLETED with a FAILED link" : "FAILED", failures, backoff);
            return cursor;
        }

        if (!job.IsReady)
        {
            // A job can be COMPLETED while one of its links is still PENDING/IN_PROGRESS: the window waits for all.
            Log.ReportPending(logger, eventName, job.Id, job.Status ?? "no status", job.LinkStatuses.Count(RawReportJob.IsDone), job.LinkStatuses.Count);
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
        Log.ReportCompleted(logger, eventName, rows, bounds.End);
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
}

/// <summary>The time window a raw report job covers.</summary>
public readonly record struct RawReportWindowBounds(DateTimeOffset Start, DateTimeOffset End);
