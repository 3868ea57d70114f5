namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// The producer's topics as the landers see them: entity topics (compacted; a current-state table plus a history
/// table) and event topics (append-only; one table). Mirrors <c>docs/topics-and-schemas.md</c>; the dead-letter
/// topic <c>{prefix}.dlq</c> is raw JSON and never landed.
/// </summary>
public static class LandedTopics
{
    public static readonly IReadOnlyList<string> Entities =
        ["users", "conversations", "agents", "groups", "channels", "roles", "account_configuration", "outbound_messages"];

    public static readonly IReadOnlyList<string> Events = ["messages", "agent_availability", "report_events", "heartbeat", "webhook_events"];

    public static IReadOnlyList<string> All { get; } = [.. Entities, .. Events];

    public static bool IsEntity(string resource) => Entities.Contains(resource);

    /// <summary>Parses <c>--topics</c> (resource names, e.g. <c>users,messages</c>); empty means all.</summary>
    public static IReadOnlyList<string> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return All;
        }

        var requested = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).ToList();
        var unknown = requested.Where(t => !All.Contains(t)).ToList();
        return unknown.Count == 0
            ? requested.Distinct().ToList()
            : throw new LanderUsageException($"--topics names unknown resource(s) {string.Join(", ", unknown)}; valid: {string.Join(", ", All)}.");
    }
}

/// <summary>A user mistake on the lander's command line: one line, exit code 2.</summary>
public sealed class LanderUsageException(string message) : Exception(message);
