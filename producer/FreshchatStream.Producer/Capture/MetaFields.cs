using System.Globalization;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Names of the meta fields the capture engine keeps per resource (<c>{resource}:{name}</c> in the state
/// store's meta hash), read back by <c>status</c>.
/// </summary>
public static class MetaFields
{
    public static string LastReconcileAt(string resource) => $"{resource}:last_reconcile_at";

    public static string LastCycleAt(string resource) => $"{resource}:last_cycle_at";

    public static string LastSuccessAt(string resource) => $"{resource}:last_success_at";

    public static string LastEvents(string resource) => $"{resource}:last_events";

    /// <summary>Freshchat requests the last successful pass spent (shared by resources one strategy serves).</summary>
    public static string LastRequests(string resource) => $"{resource}:last_requests";

    public static string LastError(string resource) => $"{resource}:last_error";

    public static string ConsecutiveFailures(string resource) => $"{resource}:consecutive_failures";

    /// <summary>The last FAILED report job, or empty once a window completed.</summary>
    public static string LastReportFailure(string resource) => $"{resource}:last_report_failure";

    /// <summary>Why a resource cannot be captured on this account (e.g. outbound messages need a request_id).</summary>
    public static string Unsupported(string resource) => $"{resource}:unsupported";

    /// <summary>The endpoint whose 403 disabled the resource's pass (empty once it answered again).</summary>
    public static string Forbidden(string resource) => $"{resource}:forbidden";

    /// <summary>When the resource's pass last met its 403: the next attempt waits <c>Capture:ReconcileInterval</c> from it.</summary>
    public static string ForbiddenAt(string resource) => $"{resource}:forbidden_at";

    /// <summary>Prefix of the per-endpoint 403 fields (<c>forbidden:{endpoint}</c> = when it first answered 403), read by <c>status</c>.</summary>
    public const string ForbiddenEndpointPrefix = "forbidden:";

    public static string ForbiddenEndpoint(string endpoint) => ForbiddenEndpointPrefix + endpoint;

    /// <summary>Why the conversation discovery report cannot be relied on (403, or rows without conversation ids); empty when it can.</summary>
    public const string DiscoveryReportUnusable = "conversations:discovery_report_unusable";

    /// <summary>
    /// The discovery report's horizon during a backfill: users created after it were not queued for a
    /// conversation-list read because the report names their conversations. Empty once the report covered the backfill.
    /// </summary>
    public const string DiscoveryHorizon = "conversations:discovery_horizon";

    /// <summary>The start of the last cycle whose users listing relied on <see cref="DiscoveryHorizon"/>: the report must reach it.</summary>
    public const string DiscoveryReliedUntil = "conversations:discovery_relied_until";

    /// <summary>Dead letters written so far (listing items set aside, unconvertible or oversized records), account-wide.</summary>
    public const string DeadLetters = "dead_letters";

    /// <summary>When and for which pass the last dead letter was written.</summary>
    public const string LastDeadLetter = "dead_letters:last";

    /// <summary>Deletions held back by the mass-deletion guard: <c>{count} {since}</c>, empty when none wait.</summary>
    public static string DeletionsHeld(string resource) => $"{resource}:deletions_held";

    /// <summary>How many conversations the schedule held at the end of the last cycle.</summary>
    public static string Scheduled(string resource) => $"{resource}:scheduled";

    /// <summary>What the <c>updated_from</c> probe found on <c>/users</c>.</summary>
    public const string UsersUpdatedFilter = "users:updated_filter";

    /// <summary>Set when the state store was found empty after this deployment had published; cleared by the first cycle that succeeds for every resource.</summary>
    public const string Resnapshot = "resnapshot_since";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;
}
