using System.Globalization;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// When a conversation is polled next. A conversation that changed is polled again next cycle; one that did not
/// backs off exponentially — open ones from the poll interval up to <c>OpenMaxInterval</c>, resolved ones from
/// <c>ResolvedInterval</c> up to <c>ResolvedMaxInterval</c> — so a large archive of quiet conversations costs
/// little while active ones stay fresh. While webhooks are healthy, open conversations start from
/// <c>Webhooks:QuietPollInterval</c> instead: their activity is pushed, so polling is only the reconciler.
/// </summary>
public static class ConversationSchedule
{
    /// <summary>Message cursor property: the conversation's <c>updated_time</c> at the last poll.</summary>
    public const string UpdatedTime = "updated_time";

    /// <summary>Message cursor property: consecutive polls without a change.</summary>
    public const string IdlePolls = "idle";

    /// <summary>Message cursor property: when messages are read next even if <c>updated_time</c> did not move.</summary>
    public const string RecheckAt = "recheck_at";

    public static DateTimeOffset NextDue(DateTimeOffset now, string? status, int idlePolls, TimeSpan pollInterval, ConversationCaptureOptions options,
        TimeSpan? quietInterval = null)
    {
        var resolved = string.Equals(status, "resolved", StringComparison.OrdinalIgnoreCase);
        var openFirst = quietInterval is { } quiet && quiet > pollInterval ? quiet : pollInterval;
        var (first, max) = resolved ? (options.ResolvedInterval, options.ResolvedMaxInterval) : (openFirst, options.OpenMaxInterval);
        var factor = Math.Pow(2, Math.Min(idlePolls, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, Math.Max(max.Ticks, first.Ticks)));
        return now + wait;
    }

    public static int Idle(ResourceCursor? cursor) =>
        int.TryParse(cursor?.Property(IdlePolls), NumberStyles.Integer, CultureInfo.InvariantCulture, out var idle) ? idle : 0;
}
