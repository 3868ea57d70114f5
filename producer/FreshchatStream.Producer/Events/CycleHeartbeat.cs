using System.Globalization;
using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;

namespace FreshchatStream.Producer.Events;

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
        return ChangeEvent.ForEntity(CaptureCatalogue.HeartbeatTopic, ChangeOp.Create, json, capturedAt, account, "heartbeat");
    }
}
