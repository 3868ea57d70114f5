using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>
/// A verified webhook body, read: its action, actor, action time and the conversation (and message) it refers to.
/// <see cref="Id"/> hashes the exact body, so Freshchat's retries of one delivery — same body, higher
/// <c>X-Retry-Count</c> — share it, and so do their events' <c>__event_id</c>.
/// </summary>
public sealed record WebhookNotification(
    string Id,
    string Action,
    string? ActorType,
    string? ActorId,
    string? ActionTime,
    string? ConversationId,
    string? MessageId,
    string? PayloadVersion,
    JsonElement Payload)
{
    /// <summary>Where each action carries its conversation: <c>data.{object}.conversation_id</c> or <c>data.{object}.conversation.conversation_id</c>.</summary>
    private static readonly string[] DataObjects = ["message", "assignment", "resolve", "reopen"];

    /// <summary>Reads a body; null with a reason when it is not a JSON object with an <c>action</c>.</summary>
    public static WebhookNotification? TryParse(ReadOnlyMemory<byte> body, string? payloadVersion, out string problem)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            problem = "the body is not JSON";
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "the body is not a JSON object";
            return null;
        }

        if (Text(root, "action") is not { Length: > 0 } action)
        {
            problem = "the body has no 'action'";
            return null;
        }

        var actor = root.TryGetProperty("actor", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        string? conversationId = null, messageId = null;
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in DataObjects)
            {
                if (data.TryGetProperty(name, out var item) && item.ValueKind == JsonValueKind.Object)
                {
                    conversationId = Text(item, "conversation_id")
                                     ?? (item.TryGetProperty("conversation", out var c) && c.ValueKind == JsonValueKind.Object ? Text(c, "conversation_id") : null);
                    messageId = name == "message" ? Text(item, "id") : null;
                    break;
                }
            }
        }

        problem = string.Empty;
        return new WebhookNotification(IdOf(body.Span), action, Text(actor, "actor_type"), Text(actor, "actor_id"), Text(root, "action_time"),
            conversationId, messageId, string.IsNullOrWhiteSpace(payloadVersion) ? null : payloadVersion, root);
    }

    /// <summary>
    /// What the conversation's poll must read: its new messages for <c>message_create</c>; the conversation for a status
    /// change (<c>conversation_resolution</c>, <c>conversation_reopen</c>, <c>conversation_assignment</c>); both for any
    /// other action, which might be about either.
    /// </summary>
    public ConversationSignal Signal => Action switch
    {
        MessageCreate => ConversationSignal.Messages,
        "conversation_resolution" or "conversation_reopen" or "conversation_assignment" => ConversationSignal.Status,
        _ => ConversationSignal.Full,
    };

    /// <summary>The action of a new message.</summary>
    public const string MessageCreate = "message_create";

    /// <summary>Lowercase hex of the first 16 bytes of SHA-256 over the body.</summary>
    public static string IdOf(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16));

    /// <summary>The <c>webhook_events</c> entity: the fields above, with the body nested as <c>payload</c>.</summary>
    public JsonObject ToEntity() => new()
    {
        ["id"] = Id,
        ["action"] = Action,
        ["actor_type"] = ActorType,
        ["actor_id"] = ActorId,
        ["action_time"] = ActionTime,
        ["conversation_id"] = ConversationId,
        ["message_id"] = MessageId,
        ["payload_version"] = PayloadVersion,
        ["payload"] = JsonNode.Parse(Payload.GetRawText()),
    };

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
