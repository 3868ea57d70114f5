using System.Runtime.CompilerServices;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="ICursorStore"/> in process memory, for unit tests and demos: the same semantics as Redis
/// (atomic commits, cursors stored serialized) but nothing survives the process.
/// </summary>
public sealed class InMemoryCursorStore : ICursorStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _fingerprints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _discoveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _schedule = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);

    /// <summary>Number of commits applied (lets tests assert that nothing was acknowledged).</summary>
    public int Commits { get; private set; }

    public Task<IReadOnlyDictionary<string, ResourceCursor>> LoadCursorsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, ResourceCursor>>(
                _cursors.ToDictionary(c => c.Key, c => ResourceCursor.Load(c.Value), StringComparer.Ordinal));
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetFingerprintsAsync(string resource, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var stored = _fingerprints.GetValueOrDefault(resource);
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                if (stored is not null && stored.TryGetValue(id, out var fingerprint))
                {
                    found[id] = fingerprint;
                }
            }

            return Task.FromResult<IReadOnlyDictionary<string, string>>(found);
        }
    }

    public async IAsyncEnumerable<KeyValuePair<string, string>> ScanFingerprintsAsync(string resource, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<KeyValuePair<string, string>> snapshot;
        lock (_gate)
        {
            snapshot = [.. _fingerprints.GetValueOrDefault(resource) ?? []];
        }

        foreach (var entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, ConversationPollState>> GetConversationStatesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, ConversationPollState>>(conversationIds
                .Where(_conversations.ContainsKey)
                .Distinct(StringComparer.Ordinal)
                .ToDictionary(id => id, id => ConversationStateEncoding.Decode(_conversations[id]), StringComparer.Ordinal));
        }
    }

    public Task<IReadOnlyList<string>> GetQueuedDiscoveriesAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _discoveries.OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).Take(limit).Select(d => d.Key)]);
        }
    }

    public Task<IReadOnlyList<string>> GetDueConversationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var cutoff = now.ToUnixTimeMilliseconds();
            return Task.FromResult<IReadOnlyList<string>>([.. _schedule.Where(s => s.Value <= cutoff)
                .OrderBy(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
                .Take(limit).Select(s => s.Key)]);
        }
    }

    public Task<long> CountScheduledConversationsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_schedule.Count);
        }
    }

    public Task<IReadOnlyDictionary<string, string>> LoadMetaAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(_meta, StringComparer.Ordinal));
        }
    }

    public Task<StateMarker> EnsureStateMarkerAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_meta.TryGetValue(RedisKeys.StateCreatedAtField, out var stored))
            {
                return Task.FromResult(new StateMarker(DateTimeOffset.Parse(stored, System.Globalization.CultureInfo.InvariantCulture), CreatedNow: false));
            }

            _meta[RedisKeys.StateCreatedAtField] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult(new StateMarker(now, CreatedNow: true));
        }
    }

    public Task CommitAsync(StateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();

        // Serialize first: if any cursor cannot be written, nothing is applied.
        var cursors = commit.Cursors.ToDictionary(c => c.Key, c => c.Value.Serialize());
        var conversations = commit.ConversationStates.ToDictionary(c => c.Key, c => c.Value is null ? null : ConversationStateEncoding.Encode(c.Value));
        lock (_gate)
        {
            foreach (var (resource, cursor) in cursors)
            {
                _cursors[resource] = cursor;
            }

            foreach (var (resource, fingerprints) in commit.Fingerprints)
            {
                if (!_fingerprints.TryGetValue(resource, out var stored))
                {
                    _fingerprints[resource] = stored = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                foreach (var (id, fingerprint) in fingerprints)
                {
                    if (fingerprint is null)
                    {
                        stored.Remove(id);
                    }
                    else
                    {
                        stored[id] = fingerprint;
                    }
                }
            }

            foreach (var (conversation, state) in conversations)
            {
                if (state is null)
                {
                    _conversations.Remove(conversation);
                }
                else
                {
                    _conversations[conversation] = state;
                }
            }

            foreach (var (user, queuedAt) in commit.Discoveries)
            {
                if (queuedAt is null)
                {
                    _discoveries.Remove(user);
                }
                else
                {
                    _discoveries[user] = queuedAt.Value.ToUnixTimeMilliseconds();
                }
            }

            foreach (var (conversation, due) in commit.Schedule)
            {
                if (due is null)
                {
                    _schedule.Remove(conversation);
                }
                else
                {
                    _schedule[conversation] = due.Value.ToUnixTimeMilliseconds();
                }
            }

            foreach (var (field, value) in commit.Meta)
            {
                _meta[field] = value;
            }

            Commits++;
        }

        return Task.CompletedTask;
    }

    public Task ResetAsync(string resource, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _cursors.Remove(resource);
            _fingerprints.Remove(resource);
            foreach (var field in _meta.Keys.Where(f => f.StartsWith(resource + ":", StringComparison.Ordinal)).ToList())
            {
                _meta.Remove(field);
            }

            if (resource == "messages")
            {
                _conversations.Clear();
            }

            if (resource == ICursorStore.DiscoveryQueue)
            {
                _discoveries.Clear();
            }

            if (resource == "conversations")
            {
                _schedule.Clear();
            }
        }

        return Task.CompletedTask;
    }
}
