using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Data;

/// <summary>The four conversation mutations Freshchat announces by webhook.</summary>
internal enum ConversationChangeKind
{
    MessageCreated,
    Assigned,
    Resolved,
    Reopened,
}

/// <summary>
/// A conversation mutation as the data store saw it, captured under its lock (snapshots, not live objects) and
/// raised once the lock is released, so whoever reacts to it reads the same state through the API.
/// </summary>
/// <param name="Conversation">The conversation after the change, as GET /conversations/{id} renders it.</param>
/// <param name="Message">The new message (MessageCreated only).</param>
/// <param name="PreviousAgentId">Assigned agent before the change ("" when none).</param>
/// <param name="PreviousGroupId">Assigned group before the change ("" when none).</param>
/// <param name="User">The conversation's owner as GET /users/{id} renders it; null when the user is gone.</param>
internal sealed record ConversationChange(
    ConversationChangeKind Kind,
    long TimeMs,
    string ActorType,
    string ActorId,
    JsonObject Conversation,
    string InteractionId,
    JsonObject? Message = null,
    string PreviousAgentId = "",
    string PreviousGroupId = "",
    JsonObject? User = null);

/// <summary>An assignment, resolution or reopen made through the mutation API, as the raw reports list it.</summary>
internal sealed record ConversationEvent(ConversationChangeKind Kind, int ConversationKey, long Ms, string AgentId, string GroupId);
