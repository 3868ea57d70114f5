using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// The emulator's "truth": generated entities derived on demand from (seed, index), overlaid with the
/// mutations, overrides and deletions made since start (the only per-entity state kept in memory).
/// Reads render entities exactly as the API does, so tests can compare a producer's output with them;
/// mutations stamp times from the configured <see cref="TimeProvider"/> and return the affected ids.
/// Thread-safe; deterministic for a seed.
/// </summary>
public sealed partial class FreshchatDataStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    internal FreshchatDataStore(FreshchatEmulatorOptions options, EmulatorBehaviour behaviour)
    {
        World = new GeneratedWorld(options);
        Behaviour = behaviour;
        _time = options.TimeProvider ?? TimeProvider.System;
        Catalogue = new CatalogueFactory(World);
        Users = new UserFactory(World);
        Conversations = new ConversationFactory(World, Users, Catalogue);
        Messages = new MessageFactory(World, Users, Conversations, Catalogue);
        _nextUserKey = World.UserCount;
        _nextConversationKey = World.ConversationCount;
        _roles = Catalogue.Roles();
        _statuses = Catalogue.AgentStatuses();
        _groups = Catalogue.Groups();
        _agents = Catalogue.Agents(_roles, _statuses);
        _channels = Catalogue.Channels();
        _fields = Catalogue.ConversationFields();
        _configuration = Catalogue.AccountConfiguration();
    }

    internal GeneratedWorld World { get; }
    internal EmulatorBehaviour Behaviour { get; }
    internal CatalogueFactory Catalogue { get; }
    internal UserFactory Users { get; }
    internal ConversationFactory Conversations { get; }
    internal MessageFactory Messages { get; }

    /// <summary>The app_id every conversation and message carries.</summary>
    public string AppId => World.AppId;

    /// <summary>Start of "now" for the generated history; every generated timestamp is before it.</summary>
    public DateTimeOffset Epoch => DateTimeOffset.FromUnixTimeMilliseconds(World.EpochMs);

    public int UserCount
    {
        get { lock (_gate) return World.UserCount - _deletedGenerated.Count + _createdUsers.Count(k => !_deletedUsers.Contains(k)); }
    }

    public int ConversationCount
    {
        get { lock (_gate) return World.ConversationCount + (_nextConversationKey - World.ConversationCount) - _deletedConversations.Count; }
    }

    public long MessageCount
    {
        get
        {
            lock (_gate)
            {
                var total = World.TotalGeneratedMessages - _deletedGeneratedMessages;
                foreach (var (key, record) in _conversations)
                    if (!_deletedConversations.Contains(key)) total += record.Added.Count;
                return total;
            }
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
