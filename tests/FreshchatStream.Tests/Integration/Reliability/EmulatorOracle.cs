using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// What the topics must show, learned from the emulator's data: every version of every entity that ever
/// existed (<see cref="Observe"/> after each mutation round), the versions and messages that must have been
/// captured (<see cref="Checkpoint"/>, taken after a producer run completed without faults: whatever existed
/// then had a full cycle to be seen), and the entities that were deleted.
/// </summary>
internal sealed class EmulatorOracle(FreshchatDataStore data)
{
    /// <summary>The entity topics the oracle knows; agent availability, reports and heartbeats are derived events, not entity versions.</summary>
    public static readonly IReadOnlyList<TopicDescriptor> EntityTopics =
    [
        CaptureCatalogue.UsersTopic, CaptureCatalogue.ConversationsTopic, CaptureCatalogue.AgentsTopic, CaptureCatalogue.GroupsTopic,
        CaptureCatalogue.ChannelsTopic, CaptureCatalogue.RolesTopic, CaptureCatalogue.AccountConfigurationTopic,
    ];

    private readonly Dictionary<EntityKey, HashSet<string>> _versions = [];
    private readonly HashSet<EntityVersion> _required = [];
    private readonly HashSet<EntityKey> _present = [];
    private readonly HashSet<EntityKey> _deleted = [];
    private readonly HashSet<EntityKey> _requiredDeletes = [];
    private readonly Dictionary<string, MessageFact> _messages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _requiredMessages = new(StringComparer.Ordinal);

    public IReadOnlySet<EntityVersion> Required => _required;

    public IReadOnlySet<EntityKey> RequiredDeletes => _requiredDeletes;

    public IReadOnlySet<string> RequiredMessages => _requiredMessages;

    public int VersionCount => _versions.Values.Sum(v => v.Count);

    /// <summary>Records the current version of everything (call after every mutation round).</summary>
    public void Observe() => Record(required: false);

    /// <summary>Records the current state as what the topics must hold: versions, messages and deletions.</summary>
    public void Checkpoint() => Record(required: true);

    public bool IsKnownVersion(EntityKey key, string fingerprint) => _versions.TryGetValue(key, out var versions) && versions.Contains(fingerprint);

    public bool WasDeleted(EntityKey key) => _deleted.Contains(key);

    public MessageFact? Message(string id) => _messages.GetValueOrDefault(id);

    private void Record(bool required)
    {
        var present = new HashSet<EntityKey>();
        foreach (var (topic, entity) in CurrentEntities())
        {
            var key = new EntityKey(topic.Resource, entity[topic.IdField]!.ToString());
            var fingerprint = Fingerprint.Compute(entity);
            present.Add(key);
            _deleted.Remove(key);
            if (!_versions.TryGetValue(key, out var versions))
            {
                _versions[key] = versions = [];
            }

            versions.Add(fingerprint);
            if (required)
            {
                _required.Add(new EntityVersion(key, fingerprint));
            }
        }

        foreach (var gone in _present.Except(present))
        {
            _deleted.Add(gone);
        }

        _present.Clear();
        _present.UnionWith(present);
        if (required)
        {
            _requiredDeletes.UnionWith(_deleted);
        }

        foreach (var conversationId in data.EnumerateConversationIds())
        {
            foreach (var message in data.GetMessages(conversationId) ?? [])
            {
                var id = (string)message["id"]!;
                _messages.TryAdd(id, new MessageFact(id, conversationId, DateTimeOffset.Parse((string)message["created_time"]!, System.Globalization.CultureInfo.InvariantCulture)));
                if (required)
                {
                    _requiredMessages.Add(id);
                }
            }
        }
    }

    private IEnumerable<(TopicDescriptor Topic, JsonObject Entity)> CurrentEntities()
    {
        foreach (var user in data.EnumerateUsers())
        {
            yield return (CaptureCatalogue.UsersTopic, user);
        }

        foreach (var id in data.EnumerateConversationIds())
        {
            if (data.GetConversation(id) is { } conversation)
            {
                yield return (CaptureCatalogue.ConversationsTopic, conversation);
            }
        }

        foreach (var (topic, entities) in new[]
                 {
                     (CaptureCatalogue.AgentsTopic, data.GetAgents()), (CaptureCatalogue.GroupsTopic, data.GetGroups()),
                     (CaptureCatalogue.ChannelsTopic, data.GetChannels()), (CaptureCatalogue.RolesTopic, data.GetRoles()),
                 })
        {
            foreach (var entity in entities)
            {
                yield return (topic, entity);
            }
        }

        yield return (CaptureCatalogue.AccountConfigurationTopic, data.GetAccountConfiguration());
    }
}

/// <summary>An entity of a topic (resource name and id).</summary>
internal readonly record struct EntityKey(string Resource, string Id)
{
    public override string ToString() => $"{Resource}/{Id}";
}

/// <summary>One version of an entity: its key and the fingerprint of the whole object as served.</summary>
internal readonly record struct EntityVersion(EntityKey Key, string Fingerprint);

/// <summary>A message as the emulator holds it (messages never change).</summary>
internal sealed record MessageFact(string Id, string ConversationId, DateTimeOffset CreatedTime);
