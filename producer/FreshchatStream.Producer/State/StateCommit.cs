namespace FreshchatStream.Producer.State;

/// <summary>
/// Everything one acknowledged batch advances, applied by <see cref="ICursorStore.CommitAsync"/> all at once or
/// not at all: resource cursors, fingerprints set and removed, conversation states, the discovery queue, conversation schedule changes
/// and meta fields. Build it while publishing; commit it only after the batch's delivery outcome is clean.
/// Later calls for the same field win.
/// </summary>
public sealed class StateCommit
{
    private readonly Dictionary<string, ResourceCursor> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string?>> _fingerprints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConversationPollState?> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset?> _discoveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset?> _schedule = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ResourceCursor> Cursors => _cursors;

    /// <summary>resource → (entity id → fingerprint, or null to remove).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string?>> Fingerprints => _fingerprints;

    /// <summary>conversation id → poll state (message position and schedule inputs), or null to remove.</summary>
    public IReadOnlyDictionary<string, ConversationPollState?> ConversationStates => _conversations;

    /// <summary>user id → when it was queued for conversation discovery, or null to dequeue.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?> Discoveries => _discoveries;

    /// <summary>conversation id → next due time, or null to unschedule.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?> Schedule => _schedule;

    public IReadOnlyDictionary<string, string> Meta => _meta;

    public bool IsEmpty => _cursors.Count == 0 && _fingerprints.Count == 0 && _conversations.Count == 0 && _discoveries.Count == 0 && _schedule.Count == 0 && _meta.Count == 0;

    public StateCommit SetCursor(string resource, ResourceCursor cursor)
    {
        _cursors[Require(resource)] = cursor;
        return this;
    }

    public StateCommit SetFingerprint(string resource, string id, string fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        FingerprintsOf(resource)[Require(id)] = fingerprint;
        return this;
    }

    public StateCommit RemoveFingerprint(string resource, string id)
    {
        FingerprintsOf(resource)[Require(id)] = null;
        return this;
    }

    public StateCommit SetConversationState(string conversationId, ConversationPollState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _conversations[Require(conversationId)] = state;
        return this;
    }

    public StateCommit RemoveConversationState(string conversationId)
    {
        _conversations[Require(conversationId)] = null;
        return this;
    }

    /// <summary>Queues a user whose conversation list must be read (again: moves it to the back of the queue).</summary>
    public StateCommit QueueDiscovery(string userId, DateTimeOffset at)
    {
        _discoveries[Require(userId)] = at;
        return this;
    }

    public StateCommit DequeueDiscovery(string userId)
    {
        _discoveries[Require(userId)] = null;
        return this;
    }

    public StateCommit ScheduleConversation(string conversationId, DateTimeOffset due)
    {
        _schedule[Require(conversationId)] = due;
        return this;
    }

    public StateCommit UnscheduleConversation(string conversationId)
    {
        _schedule[Require(conversationId)] = null;
        return this;
    }

    /// <summary>Sets a meta field; name resource-scoped fields <c>{resource}:{name}</c> so a reset clears them.</summary>
    public StateCommit SetMeta(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _meta[Require(field)] = value;
        return this;
    }

    private Dictionary<string, string?> FingerprintsOf(string resource)
    {
        if (!_fingerprints.TryGetValue(Require(resource), out var map))
        {
            _fingerprints[resource] = map = new Dictionary<string, string?>(StringComparer.Ordinal);
        }

        return map;
    }

    private static string Require(string value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }
}
