namespace FreshchatStream.Producer.Capture;

/// <summary>
/// When a conversation is polled next, and when it leaves the schedule. A conversation that changed is polled again
/// next cycle; one that did not backs off exponentially — open ones from the poll interval up to
/// <c>OpenMaxInterval</c>, resolved ones from <c>ResolvedInterval</c> up to <c>ResolvedMaxInterval</c> — so a large
/// archive of quiet conversations costs little while active ones stay fresh. While webhooks are healthy, open
/// conversations start from <c>Webhooks:QuietPollInterval</c> instead: their activity is pushed, so polling is only
/// the reconciler; likewise from <c>Conversations:HintedPollInterval</c> while the raw report change hints answer.
/// A conversation seen for the first time is scheduled by how long it has been quiet already (<see cref="FirstSeen"/>).
/// A resolved conversation without activity for <c>RetainResolved</c> is retired: it is no longer
/// polled at all, and comes back when a webhook, a report row, a signal or its user's conversation list names it.
/// </summary>
public static class ConversationSchedule
{
    public static DateTimeOffset NextDue(DateTimeOffset now, string? status, int idlePolls, TimeSpan pollInterval, ConversationCaptureOptions options,
        TimeSpan? quietInterval = null)
    {
        var resolved = IsResolved(status);
        var (first, max) = resolved ? (options.ResolvedInterval, options.ResolvedMaxInterval) : (OpenFirst(pollInterval, quietInterval), options.OpenMaxInterval);
        var factor = Math.Pow(2, Math.Min(idlePolls, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, Math.Max(max.Ticks, first.Ticks)));
        return now + wait;
    }

    /// <summary>
    /// The next poll of a conversation polled for the first time (no poll state yet), and the idle count to store with
    /// it. Its first capture emits <c>c</c>, but that is discovery, not activity: an open conversation whose last
    /// activity (<paramref name="lastActivity"/>: its <c>updated_time</c> or newest message, whichever is later) is
    /// already quiet is scheduled as an unchanged conversation that has been quiet that long — next poll after
    /// min(quiet time, <c>OpenMaxInterval</c>), with the idle count of that step of the doubling, so later unchanged
    /// polls go on backing off from there instead of starting again at the poll interval. One active within the last
    /// two first intervals (the poll interval, or the quiet interval while webhooks or hints answer) stays hot: the
    /// backoff's own first step is exactly that interval, so nothing quieter than that is gained by waiting longer,
    /// and a conversation someone is typing in now is polled again next cycle. Resolved ones, and ones whose last
    /// activity is unknown, keep the rule of a conversation that changed (<see cref="NextDue"/> at idle 0).
    /// </summary>
    public static (DateTimeOffset Due, int IdlePolls) FirstSeen(DateTimeOffset now, string? status, DateTimeOffset? lastActivity, TimeSpan pollInterval,
        ConversationCaptureOptions options, TimeSpan? quietInterval = null)
    {
        var first = OpenFirst(pollInterval, quietInterval);
        if (IsResolved(status) || lastActivity is not { } last || first <= TimeSpan.Zero || now - last < first * 2)
        {
            return (NextDue(now, status, 0, pollInterval, options, quietInterval), 0);
        }

        var max = options.OpenMaxInterval > first ? options.OpenMaxInterval : first;
        var quiet = now - last;
        var wait = quiet < max ? quiet : max;
        var idle = (int)Math.Min(Math.Floor(Math.Log2((double)wait.Ticks / first.Ticks)), 30);
        return (now + wait, idle);
    }

    /// <summary>
    /// True when a resolved conversation whose last activity was at <paramref name="lastActivity"/> has been quiet
    /// for <c>RetainResolved</c> (never when that is zero, or for a conversation that is not resolved).
    /// </summary>
    public static bool ShouldRetire(DateTimeOffset now, string? status, DateTimeOffset lastActivity, ConversationCaptureOptions options) =>
        IsResolved(status) && options.RetainResolved > TimeSpan.Zero && now - lastActivity >= options.RetainResolved;

    private static TimeSpan OpenFirst(TimeSpan pollInterval, TimeSpan? quietInterval) =>
        quietInterval is { } quiet && quiet > pollInterval ? quiet : pollInterval;

    private static bool IsResolved(string? status) => string.Equals(status, "resolved", StringComparison.OrdinalIgnoreCase);
}
