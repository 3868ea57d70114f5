namespace FreshchatStream.Producer.Events;

/// <summary>
/// The catalogue of resources the producer publishes, one topic each (<c>{prefix}.{resource}</c>), and the
/// schema files in <c>schemas/</c> that describe them. The single place that maps a resource to its topic shape.
/// </summary>
public static class PublishedResources
{
    public const string EntityKeySchemaFile = "freshchat.entity_key.avsc";
    public const string MessageKeySchemaFile = "freshchat.message_key.avsc";

    public static readonly TopicDescriptor Users = new("users", "freshchat.user.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "user");
    public static readonly TopicDescriptor Conversations = new("conversations", "freshchat.conversation.avsc", "conversation_id", TopicKeyKind.Entity, TopicCleanup.Compact, "conversation");
    public static readonly TopicDescriptor Messages = new("messages", "freshchat.message.avsc", "id", TopicKeyKind.Message, TopicCleanup.Delete, "message");
    public static readonly TopicDescriptor Agents = new("agents", "freshchat.agent.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "agent");
    public static readonly TopicDescriptor AgentAvailability = new("agent_availability", "freshchat.agent_availability.avsc", "agent_id", TopicKeyKind.Entity, TopicCleanup.Delete, "agent_availability");
    public static readonly TopicDescriptor Groups = new("groups", "freshchat.group.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "group");
    public static readonly TopicDescriptor Channels = new("channels", "freshchat.channel.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "channel");
    public static readonly TopicDescriptor Roles = new("roles", "freshchat.role.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Compact, "role");
    public static readonly TopicDescriptor AccountConfiguration = new("account_configuration", "freshchat.account_configuration.avsc", "account_id", TopicKeyKind.Entity, TopicCleanup.Compact, "account_configuration");
    public static readonly TopicDescriptor OutboundMessages = new("outbound_messages", "freshchat.outbound_message.avsc", "message_id", TopicKeyKind.Entity, TopicCleanup.Compact, "outbound_message");
    public static readonly TopicDescriptor ReportEvents = new("report_events", "freshchat.report_event.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Delete, "report_event");
    public static readonly TopicDescriptor Heartbeat = new("heartbeat", "freshchat.heartbeat.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Delete, "heartbeat");
    public static readonly TopicDescriptor WebhookEvents = new("webhook_events", "freshchat.webhook_event.avsc", "id", TopicKeyKind.Entity, TopicCleanup.Delete, "webhook_event");

    public static readonly IReadOnlyList<TopicDescriptor> All =
        [Users, Conversations, Messages, Agents, AgentAvailability, Groups, Channels, Roles, AccountConfiguration, OutboundMessages, ReportEvents, Heartbeat, WebhookEvents];

    /// <summary>The descriptor of <paramref name="resource"/> (e.g. <c>users</c>); throws for an unknown name.</summary>
    public static TopicDescriptor Get(string resource) =>
        All.FirstOrDefault(d => string.Equals(d.Resource, resource, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown published resource '{resource}'. Known: {string.Join(", ", All.Select(d => d.Resource))}.", nameof(resource));
}
