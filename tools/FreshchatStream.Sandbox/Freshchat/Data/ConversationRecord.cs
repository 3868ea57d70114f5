using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Data;

/// <summary>A conversation that was created or mutated: its rendered object plus the messages added to it.</summary>
internal sealed class ConversationRecord(JsonObject json, int ownerKey, int generatedMessages, long createdMs, string interactionId)
{
    public JsonObject Json { get; } = json;
    public int OwnerKey { get; } = ownerKey;
    public int GeneratedMessages { get; } = generatedMessages;
    public long CreatedMs { get; } = createdMs;
    public string InteractionId { get; set; } = interactionId;
    public List<AddedMessage> Added { get; } = [];
}

/// <summary>A message added through the mutation API.</summary>
internal sealed record AddedMessage(long Ms, JsonObject Json);

/// <summary>A generated user that was updated, or a user created through the mutation API.</summary>
internal sealed class UserRecord(JsonObject json, long createdMs, long updatedMs)
{
    public JsonObject Json { get; } = json;
    public long CreatedMs { get; } = createdMs;
    public long UpdatedMs { get; set; } = updatedMs;
}

/// <summary>Filters and order of a GET /users request.</summary>
internal sealed record UserFilter(
    long? CreatedFrom = null, long? CreatedTo = null, long? UpdatedFrom = null, long? UpdatedTo = null,
    string? Email = null, string? ReferenceId = null, bool Descending = false, bool SortByUpdated = false);

/// <summary>One page of messages, newest first, and whether older ones remain.</summary>
internal sealed record MessagePage(IReadOnlyList<JsonObject> Items, bool HasOlder, long OldestMs);
