namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The names of the captured resources as constants (for patterns and strategies' <c>Resources</c>), and
/// <c>Capture:Resources</c> parsing; the list and its order are <see cref="CaptureCatalogue"/>'s.
/// </summary>
public static class CaptureResources
{
    public const string Users = "users";
    public const string Agents = "agents";
    public const string AgentAvailability = "agent_availability";
    public const string Groups = "groups";
    public const string Channels = "channels";
    public const string Roles = "roles";
    public const string AccountConfiguration = "account_configuration";
    public const string Conversations = "conversations";
    public const string Messages = "messages";
    public const string ReportEvents = "report_events";
    public const string OutboundMessages = "outbound_messages";

    /// <summary>Every resource, in the order a cycle captures them (<see cref="CaptureCatalogue"/>).</summary>
    public static readonly IReadOnlyList<string> All = [.. CaptureCatalogue.Resources.Select(r => r.Name)];

    /// <summary>Parses <c>Capture:Resources</c>; empty means all. Unknown names fail naming the key.</summary>
    public static IReadOnlyList<string> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return All;
        }

        var requested = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var unknown = requested.Where(name => !All.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Capture:Resources contains unknown resource(s) {string.Join(", ", unknown)}; valid: {string.Join(", ", All)}.");
        }

        return All.Where(requested.Contains).ToList();
    }
}
