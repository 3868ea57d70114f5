namespace FreshchatStream.Producer.State;

/// <summary>
/// Durable capture state of one account: resource cursors, entity fingerprints, per-conversation message
/// cursors, the conversation poll schedule and meta fields. Reads are cheap and independent; writes happen
/// only through <see cref="CommitAsync"/>, atomically, after Kafka acknowledged what the commit describes.
/// Implementations throw <see cref="CursorStoreUnavailableException"/> when the backing store cannot be
/// reached; nothing is partially applied then.
/// </summary>
public interface ICursorStore
{
    /// <summary>The pseudo-resource naming the conversation-discovery queue in <see cref="ResetAsync"/>.</summary>
    const string DiscoveryQueue = "conversation_discovery";

    /// <summary>Every resource's cursor (resources never committed are absent).</summary>
    Task<IReadOnlyDictionary<string, ResourceCursor>> LoadCursorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stored fingerprints of <paramref name="ids"/>; ids without one are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, string>> GetFingerprintsAsync(string resource, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Every (id, fingerprint) of a resource, streamed in pages (for reconciliation scans).</summary>
    IAsyncEnumerable<KeyValuePair<string, string>> ScanFingerprintsAsync(string resource, CancellationToken cancellationToken = default);

    /// <summary>Poll states of <paramref name="conversationIds"/>; conversations never polled are absent.</summary>
    Task<IReadOnlyDictionary<string, ConversationPollState>> GetConversationStatesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> users queued for conversation discovery, longest waiting first.</summary>
    Task<IReadOnlyList<string>> GetQueuedDiscoveriesAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> conversations due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> GetDueConversationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many conversations are scheduled.</summary>
    Task<long> CountScheduledConversationsAsync(CancellationToken cancellationToken = default);

    /// <summary>All meta fields.</summary>
    Task<IReadOnlyDictionary<string, string>> LoadMetaAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records when this state was first created (meta <c>state_created_at</c>) unless already recorded. A
    /// <see cref="StateMarker.CreatedNow"/> on a deployment that has published before means the store lost its
    /// data (e.g. Redis restarted without persistence) and capture starts over.
    /// </summary>
    Task<StateMarker> EnsureStateMarkerAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings state written by an earlier release to the current layout (see docs/state.md), once, before capture
    /// reads it; resumable if interrupted. Returns how many stored values were rewritten.
    /// </summary>
    Task<long> UpgradeAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

    /// <summary>Applies every change of <paramref name="commit"/> atomically: all or nothing.</summary>
    Task CommitAsync(StateCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets a resource: its cursor, fingerprints and meta fields named <c>{resource}:*</c>; for
    /// <c>messages</c> also every conversation state, for <c>conversations</c> also the poll schedule, and for
    /// <see cref="DiscoveryQueue"/> the discovery queue.
    /// </summary>
    Task ResetAsync(string resource, CancellationToken cancellationToken = default);
}

/// <summary>When the state was created, and whether this call created it.</summary>
public sealed record StateMarker(DateTimeOffset CreatedAt, bool CreatedNow);

/// <summary>The state store cannot be reached (transient): nothing was committed; retry on the next cycle.</summary>
public sealed class CursorStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
