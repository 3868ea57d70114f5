namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Raw (Extract API) report capture, <c>Capture:Reports:*</c>. Off unless <see cref="Events"/> lists events;
/// each listed event is requested one time window after another, and every CSV row becomes a
/// <c>report_events</c> record.
/// </summary>
public sealed class ReportCaptureOptions
{
    /// <summary>Comma-separated event names, e.g. <c>Conversation-Created,Conversation-Resolved</c>; empty = off.</summary>
    public string? Events { get; set; }

    /// <summary>How far back the first window of an event starts.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Longest window requested at once; a longer backlog is caught up window by window, one per cycle.</summary>
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Shortest window requested: a new job per event at most this often.</summary>
    public TimeSpan MinWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A window ends at least this long before now, so late-arriving rows are in the report.</summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a cycle waits for a job to complete before leaving it to the next cycle.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait after a FAILED job before the window is requested again (doubles per failure, up to 6 h).</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Ask Freshchat to leave personal data out of the reports (<c>should_exclude_pii</c>).</summary>
    public bool ExcludePii { get; set; }

    public IReadOnlyList<string> EventNames() =>
        string.IsNullOrWhiteSpace(Events)
            ? []
            : Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    internal IEnumerable<string> Validate()
    {
        foreach (var name in EventNames().Where(n => n.Any(c => char.IsWhiteSpace(c) || c == ':')))
        {
            yield return $"Capture:Reports:Events contains '{name}', which is not an event name (no spaces or ':').";
        }

        if (MinWindow > MaxWindow)
        {
            yield return "Capture:Reports:MinWindow must not be longer than Capture:Reports:MaxWindow.";
        }

        foreach (var (key, value, min, max) in new[]
                 {
                     ("Lookback", Lookback, TimeSpan.FromMinutes(1), TimeSpan.FromDays(450)),
                     ("MaxWindow", MaxWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(90)),
                     ("MinWindow", MinWindow, TimeSpan.Zero, TimeSpan.FromDays(1)),
                     ("SettleDelay", SettleDelay, TimeSpan.Zero, TimeSpan.FromDays(1)),
                     ("PollTimeout", PollTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(30)),
                     ("RetryBackoff", RetryBackoff, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
                 })
        {
            if (value < min || value > max)
            {
                yield return $"Capture:Reports:{key} must be between {min:c} and {max:c}.";
            }
        }
    }
}
