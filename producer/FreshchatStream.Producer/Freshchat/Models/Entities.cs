using System.Text.Json;

namespace FreshchatStream.Producer.Freshchat.Models;

/// <summary>A Freshchat user (<c>freshchat-api.md</c> §4 User).</summary>
public sealed class FreshchatUser(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A Freshchat user without 'id'.");
    public DateTimeOffset? CreatedTime => GetTimestamp("created_time");
    public DateTimeOffset? UpdatedTime => GetTimestamp("updated_time");
    public string? Email => GetString("email");
    public string? ReferenceId => GetString("reference_id");
}

/// <summary>A conversation read by id; its id field is <c>conversation_id</c>.</summary>
public sealed class FreshchatConversation(JsonElement json) : FreshchatRecord(json)
{
    public string ConversationId => GetString("conversation_id") ?? GetString("id")
        ?? throw new InvalidDataException("A Freshchat conversation without 'conversation_id'.");
    /// <summary>Kept as a string: custom statuses such as <c>waiting on customer</c> exist.</summary>
    public string? Status => GetString("status");
    public DateTimeOffset? CreatedTime => GetTimestamp("created_time");
    public DateTimeOffset? UpdatedTime => GetTimestamp("updated_time");
    public string? UserId => GetString("user_id");
}

/// <summary>A message of a conversation.</summary>
public sealed class FreshchatMessage(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A Freshchat message without 'id'.");
    public string? ConversationId => GetString("conversation_id");
    public DateTimeOffset? CreatedTime => GetTimestamp("created_time");
    public string? ActorType => GetString("actor_type");
}

/// <summary>An agent, with its availability (<c>AVAILABLE</c>/<c>UNAVAILABLE</c>) and custom <c>agent_status</c>.</summary>
public sealed class FreshchatAgent(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A Freshchat agent without 'id'.");
    public string? AvailabilityStatus => GetString("availability_status");
    public string? AgentStatusId => Json.TryGetProperty("agent_status", out var s) && s.ValueKind == JsonValueKind.Object
        ? new FreshchatRecord(s).GetString("id") : null;
    public string? AgentStatusName => Json.TryGetProperty("agent_status", out var s) && s.ValueKind == JsonValueKind.Object
        ? new FreshchatRecord(s).GetString("name") : null;
    public DateTimeOffset? CreatedTime => GetTimestamp("created_time");
}

public sealed class FreshchatGroup(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A Freshchat group without 'id'.");
    public string? Name => GetString("name");
}

/// <summary>A channel (called "topic" in the Freshchat UI).</summary>
public sealed class FreshchatChannel(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A Freshchat channel without 'id'.");
    public string? Name => GetString("name");
    public DateTimeOffset? UpdatedTime => GetTimestamp("updated_time");
}

public sealed class FreshchatRole(JsonElement json) : FreshchatRecord(json)
{
    public string Id => GetString("id") ?? throw new InvalidDataException("A Freshchat role without 'id'.");
    public string? Name => GetString("name");
}

/// <summary>The account configuration; keyed by <c>account_id</c> (a number in the API).</summary>
public sealed class AccountConfiguration(JsonElement json) : FreshchatRecord(json)
{
    public string AccountId => GetString("account_id") ?? throw new InvalidDataException("An account configuration without 'account_id'.");
    public string? AppId => GetString("app_id");
}

/// <summary>One entry of the agent status catalogue (<c>{id,name}</c>, e.g. "Tea break").</summary>
public sealed class AgentStatusDefinition(JsonElement json) : FreshchatRecord(json)
{
    public string? Id => GetString("id");
    public string? Name => GetString("name");
}

/// <summary>A WhatsApp outbound message; <c>created_on</c> is epoch seconds.</summary>
public sealed class OutboundMessage(JsonElement json) : FreshchatRecord(json)
{
    public string? MessageId => GetString("message_id");
    public string? RequestId => GetString("request_id");
    public string? Status => GetString("status");
}
