using System.Globalization;
using System.Text.Json.Nodes;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// An agent availability transition observed between two polls (topic <c>agent_availability</c>). The API has
/// no such object: the capture engine builds it, and <see cref="ToJson"/> is what the event's <c>raw_json</c>,
/// fingerprint and columns come from. <see cref="From"/> and <see cref="PreviousObservedAt"/> are null at the
/// first sighting of an agent.
/// </summary>
public sealed record AgentAvailabilityTransition(
    string AgentId,
    string? From,
    string To,
    string? AgentStatusId,
    string? AgentStatusName,
    string? PreviousAgentStatusId,
    string? PreviousAgentStatusName,
    DateTimeOffset ObservedAt,
    DateTimeOffset? PreviousObservedAt)
{
    public JsonObject ToJson() => new()
    {
        ["agent_id"] = AgentId,
        ["from"] = From,
        ["to"] = To,
        ["agent_status_id"] = AgentStatusId,
        ["agent_status_name"] = AgentStatusName,
        ["previous_agent_status_id"] = PreviousAgentStatusId,
        ["previous_agent_status_name"] = PreviousAgentStatusName,
        ["observed_at"] = Iso(ObservedAt),
        ["previous_observed_at"] = PreviousObservedAt is { } previous ? Iso(previous) : null,
    };

    /// <summary>A <c>c</c> event on <c>agent_availability</c>, keyed by the agent id.</summary>
    public ChangeEvent ToChangeEvent(DateTimeOffset capturedAt, string account, string endpoint = "/v2/agents") =>
        ChangeEvent.ForEntity(PublishedResources.AgentAvailability, ChangeOp.Create, ToJson(), capturedAt, account, endpoint);

    internal static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// One CSV row of a raw (Extract API) report as a <c>report_events</c> entity:
/// <c>{id, event, window_start, window_end, row_number, row{column: text}}</c> with
/// <c>id = "{event}:{window start epoch ms}:{row_number}"</c>, stable across re-downloads of the same window.
/// </summary>
public static class ReportEventRow
{
    public static string Id(string eventName, DateTimeOffset windowStart, long rowNumber) =>
        string.Create(CultureInfo.InvariantCulture, $"{eventName}:{windowStart.ToUnixTimeMilliseconds()}:{rowNumber}");

    public static JsonObject Create(string eventName, DateTimeOffset windowStart, DateTimeOffset windowEnd, long rowNumber, IEnumerable<KeyValuePair<string, string>> columns)
    {
        var row = new JsonObject();
        foreach (var (name, value) in columns)
        {
            row[name] = value;
        }

        return new JsonObject
        {
            ["id"] = Id(eventName, windowStart, rowNumber),
            ["event"] = eventName,
            ["window_start"] = AgentAvailabilityTransition.Iso(windowStart),
            ["window_end"] = AgentAvailabilityTransition.Iso(windowEnd),
            ["row_number"] = rowNumber,
            ["row"] = row,
        };
    }

    /// <summary>A <c>c</c> event on <c>report_events</c> for one row.</summary>
    public static ChangeEvent ToChangeEvent(JsonObject reportRow, DateTimeOffset capturedAt, string account, string endpoint = "/v2/reports/raw") =>
        ChangeEvent.ForEntity(PublishedResources.ReportEvents, ChangeOp.Create, reportRow, capturedAt, account, endpoint);
}

/// <summary>
/// The heartbeat of one capture cycle (topic <c>heartbeat</c>): published at the end of every cycle of <c>run</c>
/// so consumers and alerting can tell a quiet account from a stopped producer.
/// </summary>
public static class CycleHeartbeat
{
    public static ChangeEvent ToChangeEvent(string account, DateTimeOffset startedAt, TimeSpan duration, long events, IReadOnlyCollection<string> succeeded,
        IReadOnlyCollection<string> failed, DateTimeOffset capturedAt)
    {
        var json = new JsonObject
        {
            ["id"] = string.Create(CultureInfo.InvariantCulture, $"{account}:{startedAt.ToUnixTimeMilliseconds()}"),
            ["cycle_started_at"] = AgentAvailabilityTransition.Iso(startedAt),
            ["cycle_duration_ms"] = (long)duration.TotalMilliseconds,
            ["events"] = events,
            ["resources_succeeded"] = succeeded.Count,
            ["resources_failed"] = failed.Count,
            ["failed_resources"] = failed.Count == 0 ? null : string.Join(",", failed),
        };
        return ChangeEvent.ForEntity(PublishedResources.Heartbeat, ChangeOp.Create, json, capturedAt, account, "heartbeat");
    }
}
