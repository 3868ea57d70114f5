using System.Globalization;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat;

public sealed partial class FreshchatDataStore
{
    private readonly Dictionary<int, ConversationRecord> _conversations = [];
    private readonly HashSet<int> _deletedConversations = [];
    private readonly Dictionary<int, List<int>> _extraConversationsByUser = [];
    private int _nextConversationKey;

    // Assignments, resolutions and reopens in the order they happened: the raw reports list them by the time of the
    // event, not by the conversation's created_time.
    private readonly List<ConversationEvent> _conversationEvents = [];
    private long _deletedGeneratedMessages;

    /// <summary>
    /// Raised after a message is added or a conversation is assigned, resolved or reopened, outside the lock and
    /// once the change is visible to readers (the webhook sender's hook; the store itself knows nothing of HTTP).
    /// </summary>
    internal event Action<ConversationChange>? ConversationChanged;

    /// <summary>The conversation as GET /conversations/{id} renders it, or null when unknown or deleted.</summary>
    public JsonObject? GetConversation(string conversationId)
    {
        lock (_gate) return ConversationKey(conversationId) is var key and >= 0 ? RenderConversation(key) : null;
    }

    /// <summary>Ids of every live conversation: generated ones in index order, then created ones.</summary>
    public IEnumerable<string> EnumerateConversationIds()
    {
        int end;
        lock (_gate) end = _nextConversationKey;
        for (var key = 0; key < end; key++)
        {
            bool deleted;
            lock (_gate) deleted = _deletedConversations.Contains(key);
            if (!deleted) yield return Conversations.Id(key);
        }
    }

    /// <summary>All messages of a conversation, oldest first (the API pages them newest first); null when unknown.</summary>
    public IReadOnlyList<JsonObject>? GetMessages(string conversationId)
    {
        lock (_gate)
        {
            var key = ConversationKey(conversationId);
            return key < 0 ? null : [.. Timeline(key).Select(e => RenderMessage(key, e))];
        }
    }

    /// <summary>Creates a conversation owned by the user, stamped now; returns its conversation_id.</summary>
    public string CreateConversation(string userId, string? channelId = null, string status = "new")
    {
        lock (_gate)
        {
            var owner = UserKey(userId);
            if (owner < 0) throw new KeyNotFoundException($"user {userId} not found");
            var key = _nextConversationKey++;
            var now = NowMs();
            var json = new JsonObject
            {
                ["conversation_id"] = Conversations.Id(key),
                ["conversation_internal_id"] = ConversationFactory.InternalId(key),
                ["app_id"] = World.AppId,
                ["status"] = status,
                ["channel_id"] = channelId ?? Catalogue.ChannelId(0),
                ["skill_id"] = 0,
                ["org_contact_id"] = UserFactory.OrgContactId(owner),
                ["created_time"] = Timestamps.Format(now),
                ["updated_time"] = Timestamps.Format(now),
                ["user_id"] = Users.Id(owner),
            };
            _conversations[key] = new ConversationRecord(json, owner, 0, now, Conversations.InteractionId(key, now));
            AddExtraConversation(owner, key);
            return Conversations.Id(key);
        }
    }

    /// <summary>Lists the conversation under another user too (a shared conversation).</summary>
    public bool AddUserToConversation(string conversationId, string userId)
    {
        lock (_gate)
        {
            var key = ConversationKey(conversationId);
            var user = UserKey(userId);
            if (key < 0 || user < 0) return false;
            if (ConversationKeysOf(user).Contains(key)) return true;
            var record = RecordFor(key);
            if (record.Json["users"] is not JsonArray users)
            {
                users = [new JsonObject { ["id"] = Users.Id(record.OwnerKey) }];
                record.Json["users"] = users;
            }
            users.Add(new JsonObject { ["id"] = Users.Id(user) });
            AddExtraConversation(user, key);
            Touch(record, NowMs());
            return true;
        }
    }

    /// <summary>Adds a message (created_time = <paramref name="createdTime"/> or now) and moves the conversation's updated_time; returns the message id.</summary>
    public string AddMessage(string conversationId, string text, string actorType = "user", DateTimeOffset? createdTime = null, string? actorId = null, string messageType = "normal")
    {
        ConversationChange created;
        lock (_gate)
        {
            var key = ConversationKey(conversationId);
            if (key < 0) throw new KeyNotFoundException($"conversation {conversationId} not found");
            var record = RecordFor(key);
            var now = NowMs();
            var ms = createdTime?.ToUnixTimeMilliseconds() ?? SharedMillisecond(key, record) ?? now;
            var messageKey = GeneratedWorld.MessageKey(key, record.GeneratedMessages + record.Added.Count);
            var channelId = (string)record.Json["channel_id"]!;
            var channelIndex = Math.Max(0, _channels.FindIndex(c => (string?)c["id"] == channelId));
            (actorId, var orgActorId) = actorType switch
            {
                "agent" => ResolveAgentActor(actorId, record),
                "system" => (actorId ?? World.AppId, "0"),
                _ => (actorId ?? Users.Id(record.OwnerKey), UserFactory.OrgContactId(World.Ids.Decode(HashStream.UserId, actorId) is var u and >= 0 ? (int)u : record.OwnerKey)),
            };
            var message = new JsonObject
            {
                ["id"] = Messages.Id(messageKey),
                ["created_time"] = Timestamps.Format(ms),
                ["app_id"] = World.AppId,
                ["conversation_id"] = Conversations.Id(key),
                ["channel_id"] = channelId,
                ["actor_type"] = actorType,
                ["actor_id"] = actorId,
                ["org_actor_id"] = orgActorId,
                ["user_id"] = Users.Id(record.OwnerKey),
                ["message_type"] = messageType,
                ["message_parts"] = new JsonArray(new JsonObject { ["text"] = new JsonObject { ["content"] = text } }),
                ["message_source"] = actorType == "system" ? "system" : "web",
                ["interaction_id"] = record.InteractionId,
                ["freshchat_conversation_id"] = ConversationFactory.InternalIdString(key),
                ["freshchat_channel_id"] = CatalogueFactory.ChannelInternalId(channelIndex).ToString(CultureInfo.InvariantCulture),
            };
            record.Added.Add(new AddedMessage(ms, message));
            Touch(record, Math.Max(now, ms));
            created = new ConversationChange(ConversationChangeKind.MessageCreated, now, actorType, actorId ?? "", RenderConversation(key),
                record.InteractionId, Message: (JsonObject)message.DeepClone());
        }
        Announce(created);
        return (string)created.Message!["id"]!;
    }

    public bool AssignConversation(string conversationId, string agentId, string? groupId = null) =>
        MutateConversation(conversationId, ConversationChangeKind.Assigned, (record, _) =>
        {
            var agentIndex = _agents.FindIndex(a => (string?)a["id"] == agentId);
            record.Json["assigned_agent_id"] = agentId;
            record.Json["assigned_org_agent_id"] = agentIndex >= 0 ? (string?)_agents[agentIndex]["org_contact_id"] : agentId;
            if (groupId is not null) record.Json["assigned_group_id"] = groupId;
            if ((string?)record.Json["status"] is "new" or "reopened") record.Json["status"] = "assigned";
        });

    public bool ResolveConversation(string conversationId) =>
        MutateConversation(conversationId, ConversationChangeKind.Resolved, (record, _) => record.Json["status"] = "resolved");

    /// <summary>Reopens the conversation; like the real API this starts a new interaction_id.</summary>
    public bool ReopenConversation(string conversationId) =>
        MutateConversation(conversationId, ConversationChangeKind.Reopened, (record, now) =>
        {
            record.Json["status"] = "reopened";
            record.InteractionId = $"{record.Json["conversation_internal_id"]}-{now}";
        });

    /// <summary>Sets any status, including custom ones such as "waiting on customer" (no webhook: Freshchat has no status-change event).</summary>
    public bool SetConversationStatus(string conversationId, string status) =>
        MutateConversation(conversationId, null, (record, _) => record.Json["status"] = status);

    private bool MutateConversation(string conversationId, ConversationChangeKind? kind, Action<ConversationRecord, long> change)
    {
        ConversationChange? announced = null;
        lock (_gate)
        {
            var key = ConversationKey(conversationId);
            if (key < 0) return false;
            var record = RecordFor(key);
            var now = NowMs();
            var previousAgent = (string?)record.Json["assigned_agent_id"] ?? "";
            var previousGroup = (string?)record.Json["assigned_group_id"] ?? "";
            change(record, now);
            Touch(record, now);
            if (kind is { } k)
            {
                announced = Describe(k, key, record, now) with { PreviousAgentId = previousAgent, PreviousGroupId = previousGroup };
                _conversationEvents.Add(new ConversationEvent(k, key, now, (string?)record.Json["assigned_agent_id"] ?? "", (string?)record.Json["assigned_group_id"] ?? ""));
            }
        }
        if (announced is not null) Announce(announced);
        return true;
    }

    /// <summary>
    /// Who did it: the emulator's mutations carry no actor, so it follows the usual causes — assignment rules
    /// (system) assign, the assigned agent resolves, the customer writing again reopens.
    /// </summary>
    private ConversationChange Describe(ConversationChangeKind kind, int key, ConversationRecord record, long now)
    {
        var (actorType, actorId) = kind switch
        {
            ConversationChangeKind.Resolved when (string?)record.Json["assigned_agent_id"] is { Length: > 0 } agent => ("agent", agent),
            ConversationChangeKind.Reopened => ("user", Users.Id(record.OwnerKey)),
            _ => ("system", World.AppId),
        };
        var user = kind == ConversationChangeKind.Resolved && !_deletedUsers.Contains(record.OwnerKey) ? RenderUser(record.OwnerKey) : null;
        return new ConversationChange(kind, now, actorType, actorId, RenderConversation(key), record.InteractionId, User: user);
    }

    private void Announce(ConversationChange change) => ConversationChanged?.Invoke(change);

    internal MessagePage? ListMessages(string conversationId, long? beforeMs, int page, int size, bool keepTiesTogether, bool fromTimeInclusive = false)
    {
        lock (_gate)
        {
            var key = ConversationKey(conversationId);
            if (key < 0) return null;
            var timeline = Timeline(key);
            var cut = beforeMs is { } b ? timeline.FindLastIndex(e => fromTimeInclusive ? e.Ms <= b : e.Ms < b) + 1 : timeline.Count;
            // newest first: position p on the page maps to timeline index cut-1-p
            var start = (long)(page - 1) * size;
            if (start >= cut) return new MessagePage([], false, 0);
            var end = Math.Min(cut, start + size);
            if (keepTiesTogether && end < cut)
            {
                // a from_time cursor cannot split equal timestamps: end the page before the tie group, or take it whole
                var oldestMs = timeline[cut - 1 - (int)(end - 1)].Ms;
                var shrunk = end;
                while (shrunk > start && timeline[cut - 1 - (int)(shrunk - 1)].Ms == oldestMs) shrunk--;
                if (shrunk > start) end = shrunk;
                else while (end < cut && timeline[cut - 1 - (int)end].Ms == oldestMs) end++;
            }
            var items = new List<JsonObject>();
            for (var p = start; p < end; p++) items.Add(RenderMessage(key, timeline[cut - 1 - (int)p]));
            return new MessagePage(items, end < cut, timeline[cut - 1 - (int)(end - 1)].Ms);
        }
    }

    /// <summary>With MessagesPerMillisecond = N, a new message whose position is not a multiple of N takes its predecessor's time.</summary>
    private long? SharedMillisecond(int key, ConversationRecord record)
    {
        var run = Behaviour.MessagesPerMillisecond;
        var position = record.GeneratedMessages + record.Added.Count;
        if (run <= 1 || position == 0 || position % run == 0) return null;
        var timeline = Timeline(key);
        return timeline.Count > 0 ? timeline[^1].Ms : null;
    }

    private readonly record struct TimelineEntry(long Ms, int Generated, JsonObject? Added);

    private List<TimelineEntry> Timeline(int key)
    {
        var list = new List<TimelineEntry>();
        _conversations.TryGetValue(key, out var record);
        var generated = key < World.ConversationCount ? World.MessageCount(key) : 0;
        var run = Behaviour.MessagesPerMillisecond;
        for (var k = 0; k < generated; k++) list.Add(new TimelineEntry(World.MessageMs(key, k - k % run), k, null));
        if (record is { Added.Count: > 0 })
        {
            foreach (var added in record.Added) list.Add(new TimelineEntry(added.Ms, -1, added.Json));
            // stable: generated before added at equal times, added in insertion order
            var ordered = list.Select((e, i) => (e, i)).OrderBy(x => x.e.Ms).ThenBy(x => x.i).Select(x => x.e).ToList();
            return ordered;
        }
        return list;
    }

    private JsonObject RenderMessage(int key, TimelineEntry entry)
    {
        if (entry.Added is { } added) return (JsonObject)added.DeepClone();
        var message = Messages.Build(key, entry.Generated);
        if (Behaviour.MessagesPerMillisecond > 1) message["created_time"] = Timestamps.Format(entry.Ms);
        return message;
    }

    private (string, string) ResolveAgentActor(string? actorId, ConversationRecord record)
    {
        actorId ??= (string?)record.Json["assigned_agent_id"] ?? (_agents.Count > 0 ? (string?)_agents[0]["id"] : null) ?? World.AppId;
        var agent = _agents.FirstOrDefault(a => (string?)a["id"] == actorId);
        return (actorId, (string?)agent?["org_contact_id"] ?? "0");
    }

    private void Touch(ConversationRecord record, long ms)
    {
        var previous = Timestamps.TryParse((string?)record.Json["updated_time"], out var p) ? p : long.MinValue;
        record.Json["created_time"] ??= Timestamps.Format(record.CreatedMs);
        record.Json["updated_time"] = Timestamps.Format(Math.Max(previous, ms));
    }

    private ConversationRecord RecordFor(int key)
    {
        if (_conversations.TryGetValue(key, out var record)) return record;
        var created = World.ConversationCreatedMs(key);
        record = new ConversationRecord(Conversations.Build(key), World.ConversationOwner(key), World.MessageCount(key), created,
            Conversations.InteractionId(key, created));
        _conversations[key] = record;
        return record;
    }

    private JsonObject RenderConversation(int key) =>
        _conversations.TryGetValue(key, out var record) ? (JsonObject)record.Json.DeepClone() : Conversations.Build(key);

    private int ConversationKey(string? conversationId)
    {
        var key = World.Ids.Decode(HashStream.ConversationId, conversationId);
        if (key < 0 || key >= _nextConversationKey || _deletedConversations.Contains((int)key)) return -1;
        return (int)key;
    }

    private int OwnerOf(int conversationKey) =>
        _conversations.TryGetValue(conversationKey, out var r) ? r.OwnerKey : World.ConversationOwner(conversationKey);

    private IEnumerable<int> ConversationKeysOf(int userKey)
    {
        var keys = userKey < World.UserCount ? World.GeneratedConversationsOf(userKey) : [];
        if (_extraConversationsByUser.TryGetValue(userKey, out var extra)) keys = keys.Concat(extra);
        return keys.Where(k => !_deletedConversations.Contains(k)).Distinct();
    }

    private void AddExtraConversation(int userKey, int conversationKey)
    {
        if (!_extraConversationsByUser.TryGetValue(userKey, out var list)) _extraConversationsByUser[userKey] = list = [];
        list.Add(conversationKey);
    }

    private void DeleteConversationKey(int key)
    {
        if (!_deletedConversations.Add(key)) return;
        if (key < World.ConversationCount) _deletedGeneratedMessages += World.MessageCount(key);
    }
}
