using System.Globalization;

namespace FreshchatStream.Producer.State;

/// <summary>
/// The offset context of one raw report event: the end of the last completed window, the job in flight (id and
/// bounds) and the retry backoff of a failed one. Kept in the cursor of the resource the report feeds, as
/// properties <c>{event}:window_end</c>, <c>{event}:job</c>, <c>{event}:job_start</c>, <c>{event}:job_end</c>,
/// <c>{event}:failures</c> and <c>{event}:retry_at</c> — the layout of earlier versions, so stored cursors keep
/// their position; this type is the only place that reads or writes them.
/// </summary>
public sealed record ReportWindowState
{
    public DateTimeOffset? WindowEnd { get; init; }

    public string? JobId { get; init; }

    public DateTimeOffset? JobStart { get; init; }

    public DateTimeOffset? JobEnd { get; init; }

    public int Failures { get; init; }

    public DateTimeOffset? RetryAt { get; init; }

    public static ReportWindowState Of(ResourceCursor cursor, string eventName)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        string? Get(string name) => cursor.Property($"{eventName}:{name}");
        return new ReportWindowState
        {
            WindowEnd = ResourceCursor.ParseTime(Get("window_end")),
            JobId = Get("job"),
            JobStart = ResourceCursor.ParseTime(Get("job_start")),
            JobEnd = ResourceCursor.ParseTime(Get("job_end")),
            Failures = int.TryParse(Get("failures"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0,
            RetryAt = ResourceCursor.ParseTime(Get("retry_at")),
        };
    }

    /// <summary>A copy of <paramref name="cursor"/> holding this state for <paramref name="eventName"/> (absent values removed).</summary>
    public ResourceCursor ApplyTo(ResourceCursor cursor, string eventName)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        string Key(string name) => $"{eventName}:{name}";
        return cursor.WithTime(Key("window_end"), WindowEnd)
            .WithProperty(Key("job"), JobId)
            .WithTime(Key("job_start"), JobStart)
            .WithTime(Key("job_end"), JobEnd)
            .WithProperty(Key("failures"), Failures == 0 ? null : Failures.ToString(CultureInfo.InvariantCulture))
            .WithTime(Key("retry_at"), RetryAt);
    }

    public ReportWindowState WithJob(string jobId, DateTimeOffset start, DateTimeOffset end) =>
        this with { JobId = jobId, JobStart = start, JobEnd = end, RetryAt = null };

    public ReportWindowState Failed(DateTimeOffset retryAt) => this with { JobId = null, Failures = Failures + 1, RetryAt = retryAt };

    public ReportWindowState Completed(DateTimeOffset windowEnd) => new() { WindowEnd = windowEnd };
}
