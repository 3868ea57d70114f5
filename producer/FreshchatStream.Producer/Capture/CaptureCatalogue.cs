using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The one list of captured resources, in the order a cycle captures them: cheap catalogues first, then users
/// and raw reports (which discover conversations), then conversations and their messages. It drives the
/// strategies' registration (<c>AddCapture</c>), the cycle's order (<see cref="CaptureCycle"/>), the names
/// <c>Capture:Resources</c> accepts (<see cref="CaptureResources"/>); topics and schemas come from each
/// entry's <see cref="TopicDescriptor"/> in <see cref="PublishedResources"/>. Adding a resource is one line here
/// plus its descriptor and strategy.
/// </summary>
public static class CaptureCatalogue
{
    public static readonly IReadOnlyList<CapturedResource> Resources =
    [
        new(PublishedResources.AccountConfiguration, typeof(AccountConfigurationCapture)),
        new(PublishedResources.Roles, typeof(RolesCapture)),
        new(PublishedResources.Groups, typeof(GroupsCapture)),
        new(PublishedResources.Channels, typeof(ChannelsCapture)),
        new(PublishedResources.Agents, typeof(AgentsCapture)),
        new(PublishedResources.AgentAvailability, typeof(AgentsCapture)),
        new(PublishedResources.OutboundMessages, typeof(OutboundMessagesCapture)),
        new(PublishedResources.Users, typeof(UsersCapture)),
        new(PublishedResources.ReportEvents, typeof(ReportsCapture)),
        new(PublishedResources.Conversations, typeof(ConversationsCapture)),
        new(PublishedResources.Messages, typeof(ConversationsCapture)),
    ];

    /// <summary>The strategy types, each once, in capture order (a strategy runs at its first resource's place).</summary>
    public static IReadOnlyList<Type> Strategies { get; } = [.. Resources.Select(r => r.Strategy).Distinct()];

    /// <summary>
    /// Whether <paramref name="strategy"/> is one of the catalogues listed before users: they read nothing another
    /// strategy of the cycle writes and nothing later depends on them within the cycle, so a cycle runs them
    /// concurrently (users, reports and conversations stay in order: users and reports discover conversations).
    /// </summary>
    public static bool IsIndependentCatalogue(Type strategy) => OrderOf(strategy) < OrderOf(typeof(UsersCapture));

    /// <summary>The position of <paramref name="strategy"/> in a cycle; unknown types sort last.</summary>
    public static int OrderOf(Type strategy)
    {
        for (var i = 0; i < Strategies.Count; i++)
        {
            if (Strategies[i] == strategy)
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
