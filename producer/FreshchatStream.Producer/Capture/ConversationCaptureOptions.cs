namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Cadences of the conversation schedule (<c>Capture:Conversations:*</c>): how many conversations a cycle may
/// poll, and how quickly quiet ones back off. Changed conversations are polled again next cycle.
/// </summary>
public sealed class ConversationCaptureOptions
{
    /// <summary>Most due conversations polled per cycle; the rest stay due for the next one.</summary>
    public int MaxPerCycle { get; set; } = 1000;

    /// <summary>Most new or changed users whose conversation lists are read per cycle.</summary>
    public int DiscoveryPerCycle { get; set; } = 1000;

    /// <summary>
    /// Raw report event read for discovery (its rows' conversation ids become due at once); empty disables it.
    /// Conversations of existing users that did not change are invisible to the user-based discovery, and a
    /// conversation opened seconds after its user may be missed by it, so this is on by default. Rows are
    /// published to <c>report_events</c> only if the event is also in <c>Capture:Reports:Events</c>.
    /// </summary>
    public string? DiscoveryReport { get; set; } = "Conversation-Created";

    /// <summary>
    /// How far back the discovery report is read when the state is empty (the report's horizon). During that first
    /// users listing, a user created after the horizon is not queued for a conversation-list read: its conversations
    /// were all created after it, so the report names them. Users created before it still get their list read.
    /// Freshchat's Extract API is said to keep about 15 months (a secondary source), hence 450 days.
    /// <c>00:00:00</c> reads every backfilled user's list and starts the report at <c>Capture:Reports:Lookback</c>.
    /// </summary>
    public TimeSpan DiscoveryLookback { get; set; } = TimeSpan.FromDays(450);

    /// <summary>
    /// Longest window of one discovery report job while the report catches up (the backfill's horizon to now). The
    /// Swagger example of a report interval spans about 70 days; windows are requested one after another in a cycle.
    /// </summary>
    public TimeSpan DiscoveryWindow { get; set; } = TimeSpan.FromDays(60);

    /// <summary>Longest wait between polls of an open conversation that keeps not changing (backoff doubles from the poll interval).</summary>
    public TimeSpan OpenMaxInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>First wait before re-polling a resolved conversation (it may be reopened).</summary>
    public TimeSpan ResolvedInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest wait between polls of a resolved conversation that keeps not changing.</summary>
    public TimeSpan ResolvedMaxInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// While webhooks are not healthy, a conversation resolved less than this ago (by when a poll saw the resolution)
    /// is watched: polled again after as long as it has been quiet, from the poll interval up to
    /// <c>ResolvedWatchInterval</c>, instead of waiting <c>ResolvedInterval</c>. A reopen without a message is in no
    /// raw report (only the <c>conversation_reopen</c> webhook announces it), so this is what sees one within about
    /// <c>ResolvedWatchInterval</c>; reopens by staff come mostly soon after the resolution. Costs about
    /// ResolvedWatch ÷ ResolvedWatchInterval + log2(ResolvedWatchInterval ÷ poll interval) conversation reads per
    /// resolution. Off (<c>00:00:00</c>) by default: on the standard steady workload it cost 42% more requests
    /// and caught nothing more (its silent reopens are of long-resolved conversations); 10 minutes is the
    /// suggested value where staff reopen conversations without writing (bench/RESULTS.md, "Resolved watch").
    /// </summary>
    public TimeSpan ResolvedWatch { get; set; }

    /// <summary>Longest wait between polls of a watched resolved conversation (<c>ResolvedWatch</c>).</summary>
    public TimeSpan ResolvedWatchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A resolved conversation without activity (its <c>updated_time</c>, or a change a poll saw) for this long leaves
    /// the schedule; webhooks, report rows, <c>conversation_reopen</c> signals and its user's conversation list bring
    /// it back. <c>00:00:00</c> keeps every conversation scheduled forever.
    /// </summary>
    public TimeSpan RetainResolved { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Messages are read when the conversation's <c>updated_time</c> moved or a signal says so; in addition at
    /// least this often per conversation, as a safety net (one request for a quiet conversation).
    /// </summary>
    public TimeSpan MessageRecheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Raw report events read as change hints (comma-separated; empty = off): every row names a conversation that is
    /// then polled at once. <c>Chat-Transcript</c> lists every message (customers' too, so a customer writing into a
    /// resolved conversation, which reopens it), <c>Conversation-Resolved</c> and <c>Conversation-Agent-Assigned</c>
    /// the status changes; <c>Message-Sent</c> (agents' messages only) is the fallback where <c>Chat-Transcript</c> is
    /// refused. An event that answers 403 or 400, or whose rows carry no conversation id, is left out (warned once,
    /// shown by <c>status</c>) and asked again at <c>Capture:ReconcileInterval</c>; the schedule alone covers its changes meanwhile.
    /// </summary>
    public string? HintReports { get; set; } = "Chat-Transcript,Conversation-Resolved,Conversation-Agent-Assigned";

    /// <summary>Shortest hint window, so each hint event costs one report job at most this often (a job is a POST and a status read or two).</summary>
    public TimeSpan HintInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A hint window ends this long before now, so the report holds the window's rows when it is read.</summary>
    public TimeSpan HintSettleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While every hint event answers with conversation ids, a quiet open conversation is first re-polled after this
    /// (instead of the poll interval; it still backs off up to <c>OpenMaxInterval</c>): its messages, assignments and
    /// resolution are hinted, so polling only catches what no report lists. <c>00:00:00</c> (the default) keeps the poll
    /// interval: the hint windows are cut on this host's clock, so if Freshchat's clock is off by more than
    /// <c>HintSettleDelay</c> its rows fall outside them, and a conversation relying on them would wait this long
    /// (the ±10 min clock-skew drill). Opt in where Freshchat's and the host's clocks are trusted to agree.
    /// </summary>
    public TimeSpan HintedPollInterval { get; set; } = TimeSpan.Zero;

    /// <summary>The hint events, in order, without duplicates.</summary>
    public IReadOnlyList<string> HintEventNames() =>
        string.IsNullOrWhiteSpace(HintReports)
            ? []
            : HintReports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    internal IEnumerable<string> Validate()
    {
        foreach (var name in HintEventNames().Where(n => n.Any(c => char.IsWhiteSpace(c) || c == ':')))
        {
            yield return $"Capture:Conversations:HintReports contains '{name}', which is not an event name (no spaces or ':').";
        }

        foreach (var (key, value, max) in new[]
                 {
                     ("HintInterval", HintInterval, TimeSpan.FromDays(1)), ("HintSettleDelay", HintSettleDelay, TimeSpan.FromDays(1)),
                     ("HintedPollInterval", HintedPollInterval, TimeSpan.FromDays(1)),
                 })
        {
            if (value < TimeSpan.Zero || value > max)
            {
                yield return $"Capture:Conversations:{key} must be between 00:00:00 and {max:c}.";
            }
        }

        if (MaxPerCycle is < 1 or > 1_000_000)
        {
            yield return "Capture:Conversations:MaxPerCycle must be between 1 and 1000000.";
        }

        if (DiscoveryPerCycle is < 1 or > 1_000_000)
        {
            yield return "Capture:Conversations:DiscoveryPerCycle must be between 1 and 1000000.";
        }

        if (DiscoveryLookback < TimeSpan.Zero || DiscoveryLookback > TimeSpan.FromDays(450))
        {
            yield return "Capture:Conversations:DiscoveryLookback must be between 00:00:00 and 450.00:00:00.";
        }

        if (DiscoveryWindow < TimeSpan.FromMinutes(1) || DiscoveryWindow > TimeSpan.FromDays(90))
        {
            yield return "Capture:Conversations:DiscoveryWindow must be between 00:01:00 and 90.00:00:00.";
        }

        foreach (var (key, value) in new[]
                 {
                     ("OpenMaxInterval", OpenMaxInterval), ("ResolvedInterval", ResolvedInterval),
                     ("ResolvedMaxInterval", ResolvedMaxInterval), ("MessageRecheckInterval", MessageRecheckInterval),
                 })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromDays(30))
            {
                yield return $"Capture:Conversations:{key} must be between 00:00:00 and 30.00:00:00.";
            }
        }

        if (RetainResolved < TimeSpan.Zero || RetainResolved > TimeSpan.FromDays(3650))
        {
            yield return "Capture:Conversations:RetainResolved must be between 00:00:00 and 3650.00:00:00.";
        }
        else if (RetainResolved > TimeSpan.Zero && RetainResolved < ResolvedMaxInterval)
        {
            yield return "Capture:Conversations:RetainResolved must be 00:00:00 (never retire) or at least Capture:Conversations:ResolvedMaxInterval.";
        }

        if (ResolvedWatch < TimeSpan.Zero || ResolvedWatch > TimeSpan.FromDays(1))
        {
            yield return "Capture:Conversations:ResolvedWatch must be between 00:00:00 and 1.00:00:00.";
        }

        if (ResolvedWatchInterval < TimeSpan.FromSeconds(1) || ResolvedWatchInterval > TimeSpan.FromDays(1))
        {
            yield return "Capture:Conversations:ResolvedWatchInterval must be between 00:00:01 and 1.00:00:00.";
        }
        else if (ResolvedWatch > TimeSpan.Zero && ResolvedWatchInterval > ResolvedWatch)
        {
            yield return "Capture:Conversations:ResolvedWatchInterval must not be longer than Capture:Conversations:ResolvedWatch.";
        }

        if (ResolvedMaxInterval < ResolvedInterval)
        {
            yield return "Capture:Conversations:ResolvedMaxInterval must not be shorter than Capture:Conversations:ResolvedInterval.";
        }
    }
}
