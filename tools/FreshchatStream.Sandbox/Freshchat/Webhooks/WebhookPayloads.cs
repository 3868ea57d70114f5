using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat.Webhooks;

/// <summary>
/// The four webhook envelopes of freshchat-api.md §7: <c>{actor{actor_type,actor_id}, action, action_time, data{…}}</c>.
/// Keys that do not apply are empty strings rather than absent, because receivers (Botpress) test their length.
/// </summary>
internal static class WebhookPayloads
{
    public const string MessageCreate = "message_create";
    public const string ConversationAssignment = "conversation_assignment";
    public const string ConversationResolution = "conversation_resolution";
    public const string ConversationReopen = "conversation_reopen";

    public static JsonObject For(ConversationChange change) => change.Kind switch
    {
        ConversationChangeKind.MessageCreated => Envelope(change, MessageCreate, "message", Message(change.Message!)),
        ConversationChangeKind.Assigned => Envelope(change, ConversationAssignment, "assignment", new JsonObject
        {
            ["assignor"] = change.ActorType,
            ["assignor_id"] = change.ActorId,
            ["to_agent_id"] = Text(change.Conversation, "assigned_agent_id"),
            ["to_group_id"] = Text(change.Conversation, "assigned_group_id"),
            ["from_agent_id"] = change.PreviousAgentId,
            ["from_group_id"] = change.PreviousGroupId,
            ["conversation"] = Conversation(change.Conversation),
            ["interaction_id"] = change.InteractionId,
        }),
        ConversationChangeKind.Resolved => Envelope(change, ConversationResolution, "resolve", Resolve(change)),
        ConversationChangeKind.Reopened => Envelope(change, ConversationReopen, "reopen", new JsonObject
        {
            ["reopener"] = change.ActorType,
            ["reopener_id"] = change.ActorId,
            ["conversation"] = Conversation(change.Conversation),
            ["interaction_id"] = change.InteractionId,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "not a webhook event"),
    };

    private static JsonObject Envelope(ConversationChange change, string action, string dataKey, JsonObject data) => new()
    {
        ["actor"] = new JsonObject { ["actor_type"] = change.ActorType, ["actor_id"] = change.ActorId },
        ["action"] = action,
        ["action_time"] = Timestamps.Format(change.TimeMs),
        ["data"] = new JsonObject { [dataKey] = data },
    };

    /// <summary>The message as the API renders it, plus the two flags only webhook payloads carry.</summary>
    private static JsonObject Message(JsonObject message)
    {
        var copy = (JsonObject)message.DeepClone();
        copy["restrictResponse"] ??= false;
        copy["botsPrivateNote"] ??= false;
        return copy;
    }

    private static JsonObject Resolve(ConversationChange change)
    {
        var resolve = new JsonObject
        {
            ["resolver"] = change.ActorType,
            ["resolver_id"] = change.ActorId,
            ["conversation"] = Conversation(change.Conversation),
            ["interaction_id"] = change.InteractionId,
        };
        if (change.User is { } user) resolve["user"] = User(user);
        return resolve;
    }

    /// <summary>The webhook's short conversation: assigned_* only when set, SLA fields the REST object lacks.</summary>
    private static JsonObject Conversation(JsonObject conversation)
    {
        var json = new JsonObject
        {
            ["conversation_id"] = Text(conversation, "conversation_id"),
            ["app_id"] = Text(conversation, "app_id"),
            ["status"] = Text(conversation, "status"),
            ["channel_id"] = Text(conversation, "channel_id"),
        };
        if (Text(conversation, "assigned_agent_id") is { Length: > 0 } agent) json["assigned_agent_id"] = agent;
        if (Text(conversation, "assigned_group_id") is { Length: > 0 } group) json["assigned_group_id"] = group;
        json["skill_id"] = conversation["skill_id"]?.DeepClone() ?? 0;
        json["sla_policy_id"] = conversation["sla_policy_id"]?.DeepClone() ?? 0;
        json["sla_breached"] = conversation["sla_breached"]?.DeepClone() ?? false;
        return json;
    }

    private static JsonObject User(JsonObject user)
    {
        var json = new JsonObject
        {
            ["id"] = Text(user, "id"),
            ["first_name"] = Text(user, "first_name"),
            ["properties"] = user["properties"]?.DeepClone() ?? new JsonArray(),
        };
        if (user["avatar"] is { } avatar) json["avatar"] = avatar.DeepClone();
        json["login_status"] = user["login_status"]?.DeepClone() ?? false;
        json["created_time"] = Text(user, "created_time");
        json["updated_time"] = Text(user, "updated_time");
        return json;
    }

    private static string Text(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
