namespace FreshchatStream.Producer.State;

/// <summary>
/// Everything one acknowledged batch advances, applied by <see cref="ICursorStore.CommitAsync"/> all at once or
/// not at all: resource cursors, fingerprints set and removed, message cursors, conversation schedule changes
/// and meta fields. Build it while publishing; commit it only after the batch's delivery outcome is clean.
/// Later calls for the same field win.
/// </summary>
public sealed class StateCommit
{
    private readonly Dictionary<string, ResourceCursor> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string?>> _fingerprints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceCursor?> _messageCursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset?> _schedule = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ResourceCursor> Cursors => _cursors;

    /// <summary>resource → (entity id → fingerprint, or null to remove).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string?>> Fingerprints => _fingerprints;

    /// <summary>conversation id → message cursor, or null to remove.</summary>
    public IReadOnlyDictionary<string, ResourceCursor?> MessageCursors => _messageCursors;

    /// <summary>conversation id → next due time, or null to unschedule.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?> Schedule => _schedule;

    public IReadOnlyDictionary<string, string> Meta => _meta;

    public bool IsEmpty => _cursors.Count == 0 && _fingerprints.Count == 0 && _messageCursors.Count == 0 && _schedule.Count == 0 && _meta.Count == 0;

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

    public StateCommit SetMessageCursor(string conversationId, ResourceCursor cursor)
    {
        _messageCursors[Require(conversationId)] = cursor;
        return this;
    }

    public StateCommit RemoveMessageCursor(string conversationId)
    {
        _messageCursors[Require(conversationId)] = null;
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
