using System.Globalization;
using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;

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
        ChangeEvent.ForEntity(CaptureCatalogue.AgentAvailabilityTopic, ChangeOp.Create, ToJson(), capturedAt, account, endpoint);

    internal static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
