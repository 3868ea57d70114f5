using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Raw reports as change hints for polling (<c>Capture:Conversations:HintReports</c>): Freshchat cannot list
/// conversations by change time, but its Extract API lists messages, assignments and resolutions by the time they
/// happened. Every hint event has its own <see cref="RawReportWindow"/> — short windows
/// (<c>HintInterval</c>, ending <c>HintSettleDelay</c> before now), state in the <see cref="Resource"/> cursor,
/// committed with the batch after acknowledgement — and every row's conversation becomes due at once, as a webhook
/// signal makes it. A conversation polled after the window ended already saw the window's changes and is left to
/// its schedule. A hint event that answers 403 or 400, or whose rows carry no conversation id, is left out of the
/// hints until <c>Capture:ReconcileInterval</c> has passed (warned when it is left out, shown by <c>status</c>); a
/// transient failure skips the event for this cycle. Neither fails the cycle: the schedule covers those changes.
/// </summary>
public sealed class ReportHints(RawReportWindow window, ILogger<ReportHints> logger)
{
    /// <summary>Pseudo-resource holding the hint windows' cursor and their meta fields.</summary>
    public const string Resource = "conversation_hints";

    /// <summary>Prefix of the meta fields saying why a hint event is left out (empty when it is usable).</summary>
    public const string UnusablePrefix = $"{Resource}:unusable:";

    private int _warned;

    /// <summary>Meta field: why <paramref name="eventName"/> is not used as a hint, and since when (empty when it is).</summary>
    public static string Unusable(string eventName) => UnusablePrefix + eventName;

    /// <summary>
    /// Whether polling may rely on the hints: hint events are configured, every one has completed a window, and none
    /// is left out (as the cycle started, or since) or failing. Then quiet open conversations wait <c>HintedPollInterval</c> before their first re-poll.
    /// </summary>
    public static bool AreHealthy(CaptureContext context)
    {
        var events = context.Options.Conversations.HintEventNames();
        if (events.Count == 0)
        {
            return false;
        }

        var cursor = context.Cursor(Resource);
        return !context.HasPassNote<LeftOutThisPass>()
               && events.All(e => string.IsNullOrEmpty(context.Meta.GetValueOrDefault(Unusable(e)))
                                  && ReportWindowState.Of(cursor, e) is { WindowEnd: not null, Failures: 0 });
    }

    /// <summary>The first wait of a quiet open conversation while the hints are healthy; null otherwise.</summary>
    public static TimeSpan? QuietPollInterval(CaptureContext context) =>
        context.Options.Conversations.HintedPollInterval > TimeSpan.Zero && AreHealthy(context) ? context.Options.Conversations.HintedPollInterval : null;

    /// <summary>
    /// Reads the next window of every hint event that is due and stages each named conversation as due now; returns
    /// how many conversations were made due. Never throws for a Freshchat failure.
    /// </summary>
    /// <param name="context">The cycle.</param>
    /// <param name="pushed">Webhooks are healthy: they announce what the hints would, so no report is asked for, and
    /// the windows move along with the clock so that hints resume from now, not from when webhooks took over.</param>
    /// <param name="cancellationToken">Cancels the cycle.</param>
    public async Task<int> RunAsync(CaptureContext context, bool pushed, CancellationToken cancellationToken)
    {
        var options = context.Options.Conversations;
        var events = options.HintEventNames();
        if (events.Count == 0)
        {
            return 0;
        }

        // An event ReportsCapture publishes already schedules the conversations of its rows.
        var published = context.Selected.Contains(CaptureCatalogue.ReportEvents) ? context.Options.Reports.EventNames() : [];
        var cadence = new RawReportCadence(options.HintInterval + options.HintSettleDelay, context.Options.Reports.MaxWindow, options.HintInterval, options.HintSettleDelay);
        var cursor = context.Cursor(Resource);
        var hinted = 0;
        foreach (var eventName in events.Where(e => !published.Contains(e)))
        {
            if (AwaitsRetry(context, eventName))
            {
                continue;
            }

            var state = ReportWindowState.Of(cursor, eventName);
            if (state.JobId is null && (state.WindowEnd is null || pushed))
            {
                // Nothing to hint before now: the first cycle polls every known conversation anyway, and a pushed
                // change is polled when its webhook arrives. The first window is asked for one interval later.
                cursor = state.Completed(context.Now - options.HintSettleDelay).ApplyTo(cursor, eventName);
                context.Batch.State.SetCursor(Resource, cursor);
                continue;
            }

            var named = new HashSet<string>(StringComparer.Ordinal);
            long rows = 0;
            IReadOnlyList<string>? header = null;
            var windowEnd = DateTimeOffset.MinValue;
            try
            {
                cursor = await window.RunAsync(context, Resource, eventName, cursor, (row, bounds) =>
                {
                    rows++;
                    header ??= [.. row.Columns.Select(c => c.Key)];
                    windowEnd = bounds.End;
                    if (ReportDiscovery.ConversationIdOf(row) is { } id)
                    {
                        named.Add(id);
                    }

                    return ValueTask.CompletedTask;
                }, cancellationToken, cadence: cadence);
            }
            catch (FreshchatException e) when (e is FreshchatForbiddenException or FreshchatRequestException)
            {
                LeaveOut(context, eventName, $"{e.StatusCode} on {e.Endpoint}");
                continue;
            }
            catch (FreshchatException e) when (e is not FreshchatAuthenticationException)
            {
                Log.HintUnavailable(logger, eventName, e.Message);
                continue;
            }

            if (rows > 0 && named.Count == 0)
            {
                LeaveOut(context, eventName, $"rows carry no conversation id (columns: {string.Join(", ", header ?? [])})");
                continue;
            }

            // Ids make the event usable again; so does a request that is answered again after a 403 or 400.
            if (named.Count > 0 || context.Meta.GetValueOrDefault(Unusable(eventName)) is { Length: > 0 } was && char.IsAsciiDigit(was[0]))
            {
                context.Batch.State.SetMeta(Unusable(eventName), string.Empty);
            }

            hinted += await ScheduleAsync(context, eventName, named, windowEnd, cancellationToken);
        }

        return hinted;
    }

    /// <summary>Makes the named conversations due now, but for those polled after the window ended (they saw its changes).</summary>
    private async Task<int> ScheduleAsync(CaptureContext context, string eventName, HashSet<string> named, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        if (named.Count == 0)
        {
            return 0;
        }

        var states = await context.Store.GetConversationStatesAsync(named, cancellationToken);
        var due = 0;
        foreach (var id in named)
        {
            if (states.TryGetValue(id, out var state) && !state.Retired && state.PolledAt is { } polled && polled >= windowEnd)
            {
                continue;
            }

            context.Batch.State.ScheduleConversation(id, context.Now);
            due++;
        }

        Log.Hinted(logger, eventName, named.Count, due);
        return due;
    }

    private static bool AwaitsRetry(CaptureContext context, string eventName) =>
        context.Meta.GetValueOrDefault(Unusable(eventName)) is { Length: > 0 } reason
        && reason.LastIndexOf(" since ", StringComparison.Ordinal) is var at and >= 0
        && MetaFields.ParseTime(reason[(at + " since ".Length)..]) is { } since
        && context.Now - since < context.Options.ReconcileInterval;

    private void LeaveOut(CaptureContext context, string eventName, string reason)
    {
        context.Batch.State.SetMeta(Unusable(eventName), $"{reason} since {MetaFields.Format(context.Now)}");
        context.PassNote<LeftOutThisPass>();
        if (Interlocked.Exchange(ref _warned, 1) == 0 || string.IsNullOrEmpty(context.Meta.GetValueOrDefault(Unusable(eventName))))
        {
            Log.HintLeftOut(logger, eventName, reason, context.Options.ReconcileInterval);
        }
    }

    /// <summary>
    /// Taken when a hint event was just left out: the meta loaded at the pass's start still calls the hints healthy,
    /// but the conversations polled in this pass must not rely on them.
    /// </summary>
    private sealed class LeftOutThisPass;
}
