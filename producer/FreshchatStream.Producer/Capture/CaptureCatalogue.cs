using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The one list of resources. <see cref="Resources"/> holds the captured ones in the order a cycle captures them:
/// cheap catalogues first, then users and raw reports (which discover conversations), then conversations and their
/// messages. Each entry carries its topic (<see cref="TopicDescriptor"/>: name, schema, key shape, cleanup) and its
/// strategy, so the list drives the strategies' registration (<c>AddCapture</c>), the cycle's order
/// (<see cref="CaptureCycle"/>), the names <c>Capture:Resources</c>, <c>reset</c> and <c>status</c> accept
/// (<see cref="Names"/>, <see cref="Parse"/>), and with the two topics nothing captures (heartbeat, webhook events)
/// the topics that are provisioned and whose schemas are registered (<see cref="Topics"/>). Adding a resource is a
/// name, a descriptor and one line in <see cref="Resources"/>, plus its schema and strategy.
/// </summary>
public static class CaptureCatalogue
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
    public const string Heartbeat = "heartbeat";
    public const string WebhookEvents = "webhook_events";

    public static readonly TopicDescriptor UsersTopic = new(Users, "freshchat.user.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "user");
    public static readonly TopicDescriptor ConversationsTopic = new(Conversations, "freshchat.conversation.avsc", "conversation_id", TopicKeyKind.Entity, TopicCleanup.Compact, "conversation");
    public static readonly TopicDescriptor MessagesTopic = new(Messages, "freshchat.message.avsc", "id", TopicKeyKind.Message, TopicCleanup.Delete, "message");
    public static readonly TopicDescriptor AgentsTopic = new(Agents, "freshchat.agent.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "agent");
    public static readonly TopicDescriptor AgentAvailabilityTopic = new(AgentAvailability, "freshchat.agent_availability.avsc", "agent_id", TopicKeyKind.Entity, TopicCleanup.Delete, "agent_availability");
    public static readonly TopicDescriptor GroupsTopic = new(Groups, "freshchat.group.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "group");
    public static readonly TopicDescriptor ChannelsTopic = new(Channels, "freshchat.channel.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "channel");
    public static readonly TopicDescriptor RolesTopic = new(Roles, "freshchat.role.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "role");
    public static readonly TopicDescriptor AccountConfigurationTopic = new(AccountConfiguration, "freshchat.account_configuration.avsc", "account_id", TopicKeyKind.Entity, TopicCleanup.Compact, "account_configuration");
    public static readonly TopicDescriptor OutboundMessagesTopic = new(OutboundMessages, "freshchat.outbound_message.avsc", "message_id", TopicKeyKind.Entity, TopicCleanup.Compact, "outbound_message");
    public static readonly TopicDescriptor ReportEventsTopic = new(ReportEvents, "freshchat.report_event.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Delete, "report_event");
    public static readonly TopicDescriptor HeartbeatTopic = new(Heartbeat, "freshchat.heartbeat.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Delete, "heartbeat");
    public static readonly TopicDescriptor WebhookEventsTopic = new(WebhookEvents, "freshchat.webhook_event.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Delete, "webhook_event");

    /// <summary>The captured resources with their strategies, in capture order.</summary>
    public static readonly IReadOnlyList<CapturedResource> Resources =
    [
        new(AccountConfigurationTopic, typeof(AccountConfigurationCapture)),
        new(RolesTopic, typeof(RolesCapture)),
        new(GroupsTopic, typeof(GroupsCapture)),
        new(ChannelsTopic, typeof(ChannelsCapture)),
        new(AgentsTopic, typeof(AgentsCapture)),
        new(AgentAvailabilityTopic, typeof(AgentsCapture)),
        new(OutboundMessagesTopic, typeof(OutboundMessagesCapture)),
        new(UsersTopic, typeof(UsersCapture)),
        new(ReportEventsTopic, typeof(ReportsCapture)),
        new(ConversationsTopic, typeof(ConversationsCapture)),
        new(MessagesTopic, typeof(ConversationsCapture)),
    ];

    /// <summary>Every published topic: the captured resources' in capture order, then the heartbeat and the webhook events.</summary>
    public static readonly IReadOnlyList<TopicDescriptor> Topics = [.. Resources.Select(r => r.Topic), HeartbeatTopic, WebhookEventsTopic];

    /// <summary>The names of the captured resources, in capture order.</summary>
    public static readonly IReadOnlyList<string> Names = [.. Resources.Select(r => r.Name)];

    /// <summary>The strategy types, each once, in capture order (a strategy runs at its first resource's place).</summary>
    public static IReadOnlyList<Type> Strategies { get; } = [.. Resources.Select(r => r.Strategy).Distinct()];

    /// <summary>The topic of <paramref name="resource"/> (e.g. <c>users</c>); throws for an unknown name.</summary>
    public static TopicDescriptor Topic(string resource) =>
        Topics.FirstOrDefault(d => string.Equals(d.Resource, resource, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown published resource '{resource}'. Known: {string.Join(", ", Topics.Select(d => d.Resource))}.", nameof(resource));

    /// <summary>Parses <c>Capture:Resources</c>; empty means all. Unknown names fail naming the key.</summary>
    public static IReadOnlyList<string> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Names;
        }

        var requested = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var unknown = requested.Where(name => !Names.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Capture:Resources contains unknown resource(s) {string.Join(", ", unknown)}; valid: {string.Join(", ", Names)}.");
        }

        return Names.Where(requested.Contains).ToList();
    }

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
