namespace FreshchatStream.Producer.Capture;

/// <summary>
/// When a conversation is polled next, and when it leaves the schedule. A conversation that changed is polled again
/// next cycle; one that did not backs off exponentially — open ones from the poll interval up to
/// <c>OpenMaxInterval</c>, resolved ones from <c>ResolvedInterval</c> up to <c>ResolvedMaxInterval</c> — so a large
/// archive of quiet conversations costs little while active ones stay fresh. While webhooks are healthy, open
/// conversations start from <c>Webhooks:QuietPollInterval</c> instead: their activity is pushed, so polling is only
/// the reconciler; likewise from <c>Conversations:HintedPollInterval</c> while the raw report change hints answer.
/// A resolved conversation without activity for <c>RetainResolved</c> is retired: it is no longer
/// polled at all, and comes back when a webhook, a report row, a signal or its user's conversation list names it.
/// </summary>
public static class ConversationSchedule
{
    public static DateTimeOffset NextDue(DateTimeOffset now, string? status, int idlePolls, TimeSpan pollInterval, ConversationCaptureOptions options,
        TimeSpan? quietInterval = null)
    {
        var resolved = IsResolved(status);
        var openFirst = quietInterval is { } quiet && quiet > pollInterval ? quiet : pollInterval;
        var (first, max) = resolved ? (options.ResolvedInterval, options.ResolvedMaxInterval) : (openFirst, options.OpenMaxInterval);
        var factor = Math.Pow(2, Math.Min(idlePolls, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, Math.Max(max.Ticks, first.Ticks)));
        return now + wait;
    }

    /// <summary>
    /// True when a resolved conversation whose last activity was at <paramref name="lastActivity"/> has been quiet
    /// for <c>RetainResolved</c> (never when that is zero, or for a conversation that is not resolved).
    /// </summary>
    public static bool ShouldRetire(DateTimeOffset now, string? status, DateTimeOffset lastActivity, ConversationCaptureOptions options) =>
        IsResolved(status) && options.RetainResolved > TimeSpan.Zero && now - lastActivity >= options.RetainResolved;

    private static bool IsResolved(string? status) => string.Equals(status, "resolved", StringComparison.OrdinalIgnoreCase);
}
