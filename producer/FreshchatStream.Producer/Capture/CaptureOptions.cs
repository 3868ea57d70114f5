using System.ComponentModel.DataAnnotations;

namespace FreshchatStream.Producer.Capture;

/// <summary>How often and what the capture engine polls; bound from <c>Capture:*</c>.</summary>
public sealed class CaptureOptions
{
    public const string Section = "Capture";

    /// <summary>Time between the starts of two capture cycles.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Capture:PollInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <c>run</c>, <c>run --once</c> and <c>snapshot</c> wait at start for Freshchat, the Schema Registry,
    /// Kafka and Redis to answer before exiting 3 naming the one that did not (outages after start are retried).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Capture:StartupTimeout must be between 00:00:00 and 01:00:00.")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Comma-separated topic names to capture (e.g. <c>users,agents</c>); empty means all. Validated
    /// against <see cref="CaptureCatalogue.Names"/>.
    /// </summary>
    public string? Resources { get; set; }

    /// <summary>
    /// How often a full reconciliation scan (changes the server cannot filter for, and deletes) runs per
    /// resource. <c>00:00:00</c> runs it every cycle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Capture:ReconcileInterval must be between 00:00:00 and 30.00:00:00.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the catalogues without a change feed that rarely change (account configuration, roles, groups,
    /// channels) are listed; the cycles between leave them out (<see cref="CatalogueCadence"/>). <c>00:00:00</c> lists
    /// them every cycle. Agents (and their availability) are listed every cycle regardless.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Capture:CatalogueInterval must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan CatalogueInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Overlap of the users' <c>created_from</c> high-water mark, so users created with equal or late
    /// timestamps at the boundary are read again (and de-duplicated by id) instead of being skipped.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Capture:Overlap must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the users' <c>updated_from</c> listing re-reads the whole <c>Capture:Overlap</c> window. In the
    /// cycles between, it starts at the newest <c>updated_time</c> already listed (Freshchat's own clock, so no skew
    /// allowance is needed) less a second, and an edit that became visible late, stamped before that, is read at the
    /// next whole-window read. Re-reading the window every cycle lists every user edited in the last
    /// <c>Overlap</c> again at every poll, which on a busy account costs more pages than the new edits.
    /// <c>00:00:00</c> re-reads the whole window every cycle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Capture:OverlapInterval must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan OverlapInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events published and acknowledged per batch before cursors advance; bounds memory and repeat-on-crash.</summary>
    [Range(1, 100_000, ErrorMessage = "Capture:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>Warn when a resource has failed this many consecutive cycles (Debezium's growing-backlog warning).</summary>
    [Range(1, 10_000, ErrorMessage = "Capture:StalledCycleWarning must be between 1 and 10000.")]
    public int StalledCycleWarning { get; set; } = 5;

    /// <summary>Publish one <c>heartbeat</c> event per cycle, so an idle account still shows liveness downstream.</summary>
    public bool Heartbeat { get; set; } = true;

    /// <summary>
    /// Partitions of <c>{Kafka:TopicPrefix}.capture-assignments</c>, the control topic whose consumer group spreads the
    /// accounts of <c>Accounts:*</c> over instances (account → partition <c>murmur2(name) mod AssignmentPartitions</c>).
    /// Changing it moves accounts between partitions: change it with every instance stopped.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "Capture:AssignmentPartitions must be between 1 and 10000.")]
    public int AssignmentPartitions { get; set; } = 12;

    /// <summary>
    /// <c>session.timeout.ms</c> of the assignment group: how long a crashed instance keeps its accounts before the
    /// group coordinator gives them to the others (plus one poll interval until their capture runs).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00", ErrorMessage = "Capture:AssignmentSessionTimeout must be between 00:00:01 and 00:30:00.")]
    public TimeSpan AssignmentSessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>The conversation schedule (<c>Capture:Conversations:*</c>).</summary>
    public ConversationCaptureOptions Conversations { get; set; } = new();

    /// <summary>Raw report capture (<c>Capture:Reports:*</c>); off unless events are listed.</summary>
    public ReportCaptureOptions Reports { get; set; } = new();

    public IReadOnlyList<string> SelectedResources() => CaptureCatalogue.Parse(Resources);
}
