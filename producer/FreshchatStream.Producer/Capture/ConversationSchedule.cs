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
/// Without healthy webhooks, a conversation resolved less than <c>ResolvedWatch</c> ago is watched first
/// (<see cref="Next"/>): a reopen that comes without a message is in no raw report, so only a poll sees it.
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
    /// The next poll of a known conversation after a poll, and the idle count to store with it. A resolved
    /// conversation whose last change (<paramref name="lastChange"/>: when a poll saw its resolution, or a later change)
    /// is less than <c>ResolvedWatch</c> old is watched (<see cref="IsWatched"/>): polled again after as long as it has
    /// been quiet, between the poll interval and <c>ResolvedWatchInterval</c>, so a reopen without a message — which no
    /// raw report lists, and which only the <c>conversation_reopen</c> webhook announces — is seen within
    /// <c>ResolvedWatchInterval</c> and a cycle. Silent reopens by staff are expected mostly soon after the resolution
    /// (resolved by mistake or too early; an assumption, no source gives the delay); a customer writing again is in
    /// <c>Chat-Transcript</c>.
    /// The watch's polls keep the idle count at 0, so after it the resolved backoff goes on from its second step
    /// (2 × <c>ResolvedInterval</c>): the watch takes the place of the first <c>ResolvedInterval</c> wait. Not while
    /// webhooks are healthy (<paramref name="reopensPushed"/>), which push the reopen; anything else is <see cref="NextDue"/>.
    /// The watch never polls later than <see cref="NextDue"/> would (a <c>ResolvedInterval</c> of zero polls every cycle).
    /// </summary>
    public static (DateTimeOffset Due, int IdlePolls) Next(DateTimeOffset now, string? status, int idlePolls, DateTimeOffset? lastChange, TimeSpan pollInterval,
        ConversationCaptureOptions options, TimeSpan? quietInterval = null, bool reopensPushed = false) =>
        !reopensPushed && IsWatched(now, status, lastChange, options)
            ? (Min(now + WatchWait(now, lastChange!.Value, pollInterval, options), NextDue(now, status, idlePolls, pollInterval, options, quietInterval)), 0)
            : (NextDue(now, status, idlePolls, pollInterval, options, quietInterval), idlePolls);

    /// <summary>
    /// True when <paramref name="status"/> is resolved and <paramref name="lastChange"/> is less than
    /// <c>Capture:Conversations:ResolvedWatch</c> before <paramref name="now"/> (never when that is zero).
    /// </summary>
    public static bool IsWatched(DateTimeOffset now, string? status, DateTimeOffset? lastChange, ConversationCaptureOptions options) =>
        IsResolved(status) && options.ResolvedWatch > TimeSpan.Zero && lastChange is { } last && now - last < options.ResolvedWatch;

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
    /// activity is unknown, keep the rule of a conversation that changed (<see cref="NextDue"/> at idle 0), except
    /// that one resolved less than <c>ResolvedWatch</c> ago is watched as in <see cref="Next"/>.
    /// </summary>
    public static (DateTimeOffset Due, int IdlePolls) FirstSeen(DateTimeOffset now, string? status, DateTimeOffset? lastActivity, TimeSpan pollInterval,
        ConversationCaptureOptions options, TimeSpan? quietInterval = null, bool reopensPushed = false)
    {
        if (!reopensPushed && IsWatched(now, status, lastActivity, options))
        {
            return (Min(now + WatchWait(now, lastActivity!.Value, pollInterval, options), NextDue(now, status, 0, pollInterval, options, quietInterval)), 0);
        }

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

    /// <summary>
    /// As long as the conversation has been quiet (a doubling from the poll interval, memoryless), at most
    /// <c>ResolvedWatchInterval</c>, never below the poll interval; a last change ahead of this host's clock counts as now.
    /// </summary>
    private static TimeSpan WatchWait(DateTimeOffset now, DateTimeOffset lastChange, TimeSpan pollInterval, ConversationCaptureOptions options)
    {
        var quiet = now > lastChange ? now - lastChange : TimeSpan.Zero;
        var cap = options.ResolvedWatchInterval > pollInterval ? options.ResolvedWatchInterval : pollInterval;
        return quiet < pollInterval ? pollInterval : quiet > cap ? cap : quiet;
    }

    // The watch only ever brings a poll forward (a ResolvedInterval shorter than the watch's cadence wins).
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan OpenFirst(TimeSpan pollInterval, TimeSpan? quietInterval) =>
        quietInterval is { } quiet && quiet > pollInterval ? quiet : pollInterval;

    private static bool IsResolved(string? status) => string.Equals(status, "resolved", StringComparison.OrdinalIgnoreCase);
}
