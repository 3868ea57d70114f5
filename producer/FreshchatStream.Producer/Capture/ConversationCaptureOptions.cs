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

    internal IEnumerable<string> Validate()
    {
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

        if (ResolvedMaxInterval < ResolvedInterval)
        {
            yield return "Capture:Conversations:ResolvedMaxInterval must not be shorter than Capture:Conversations:ResolvedInterval.";
        }
    }
}
