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
