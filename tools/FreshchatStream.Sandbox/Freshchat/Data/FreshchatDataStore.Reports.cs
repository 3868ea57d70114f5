using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Data;

namespace FreshchatStream.Sandbox.Freshchat;

public sealed partial class FreshchatDataStore
{
    /// <summary>Live conversations whose created_time lies in [fromMs, toMs], scanned cheaply without rendering non-matches.</summary>
    internal IEnumerable<JsonObject> ConversationsCreatedBetween(long fromMs, long toMs)
    {
        int end;
        lock (_gate) end = _nextConversationKey;
        for (var key = 0; key < end; key++)
        {
            JsonObject? conversation = null;
            lock (_gate)
            {
                if (_deletedConversations.Contains(key)) continue;
                var created = _conversations.TryGetValue(key, out var r) ? r.CreatedMs : World.ConversationCreatedMs(key);
                if (created >= fromMs && created <= toMs) conversation = RenderConversation(key);
                if (conversation is not null) conversation["created_time"] ??= Generation.Timestamps.Format(created);
            }
            if (conversation is not null) yield return conversation;
        }
    }

    /// <summary>
    /// Assignments or resolutions (<paramref name="kind"/>) made in [fromMs, toMs] to live conversations, each with the
    /// conversation as it is now; a conversation assigned or resolved several times has one row per time.
    /// </summary>
    internal IReadOnlyList<(ConversationEvent Event, JsonObject Conversation)> ConversationEventsBetween(ConversationChangeKind kind, long fromMs, long toMs)
    {
        lock (_gate)
        {
            return [.. _conversationEvents.Where(e => e.Kind == kind && e.Ms >= fromMs && e.Ms <= toMs && !_deletedConversations.Contains(e.ConversationKey))
                .Select(e => (e, RenderConversation(e.ConversationKey)))];
        }
    }

    /// <summary>Whether an event of <paramref name="kind"/> was made to the conversation through the mutation API.</summary>
    internal bool HasConversationEvent(string conversationId, ConversationChangeKind kind)
    {
        lock (_gate)
        {
            var key = ConversationKey(conversationId);
            return key >= 0 && _conversationEvents.Exists(e => e.Kind == kind && e.ConversationKey == key);
        }
    }

    /// <summary>Messages of live conversations whose created_time lies in [fromMs, toMs].</summary>
    internal IEnumerable<JsonObject> MessagesBetween(long fromMs, long toMs)
    {
        int end;
        lock (_gate) end = _nextConversationKey;
        for (var key = 0; key < end; key++)
        {
            List<JsonObject> found = [];
            lock (_gate)
            {
                if (_deletedConversations.Contains(key)) continue;
                var generated = key < World.ConversationCount ? World.MessageCount(key) : 0;
                if (generated > 0 && World.MessageMs(key, 0) <= toMs && World.MessageMs(key, generated - 1) >= fromMs)
                {
                    for (var k = 0; k < generated; k++)
                    {
                        var ms = World.MessageMs(key, k);
                        if (ms >= fromMs && ms <= toMs) found.Add(Messages.Build(key, k));
                    }
                }
                if (_conversations.TryGetValue(key, out var record))
                    found.AddRange(record.Added.Where(a => a.Ms >= fromMs && a.Ms <= toMs).Select(a => (JsonObject)a.Json.DeepClone()));
            }
            foreach (var message in found) yield return message;
        }
    }
}
