using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="ICursorStore"/> on Redis, one key family per account under <c>Redis:KeyPrefix</c> (see
/// <see cref="RedisKeys"/>). A commit runs as one Lua script that first checks every key's type and only then
/// writes, so it is atomic and applies nothing when any part would fail. An unreachable server surfaces as
/// <see cref="CursorStoreUnavailableException"/> naming the endpoints only (the configuration string may hold a password).
/// </summary>
public sealed class RedisCursorStore : ICursorStore, IAsyncDisposable
{
    // Every write script starts with the fence: KEYS[1] is the account's lease, ARGV[1] and ARGV[2] the holder and
    // epoch this writer holds ('' = unfenced: tests and tools without a lease). A writer superseded by a higher epoch
    // is refused before anything is written, in the same atomic step as the write.
    private const string FenceCheck = """
        if ARGV[1] ~= '' then
          local h = redis.call('HGET', KEYS[1], 'holder')
          local e = redis.call('HGET', KEYS[1], 'epoch')
          if h ~= ARGV[1] or e ~= ARGV[2] then
            return redis.error_reply('FENCED the lease is held by ' .. tostring(h or 'nobody') .. ' at epoch ' .. tostring(e or '0') ..
              ', not by ' .. ARGV[1] .. ' at epoch ' .. ARGV[2] .. '; nothing was written')
          end
        end

        """;

    // A conversation's entry in the message-cursor hash (ConversationEntryEncoding): 0x03, the fingerprint's length,
    // the fingerprint, the poll state. An entry of an earlier format (not starting with 0x03) is all state.
    // write_entry stores the two halves back, or deletes the field when both are empty, and leaves it alone when unchanged.
    private const string EntryFunctions = """
        local function split_entry(v)
          if not v then return '', '' end
          if string.byte(v, 1) == 3 then
            local n = string.byte(v, 2) or 0
            return string.sub(v, 3, 2 + n), string.sub(v, 3 + n)
          end
          return '', v
        end
        local function write_entry(key, field, old, fp, st)
          if fp == '' and st == '' then
            if old then redis.call('HDEL', key, field) end
            return
          end
          local new = string.char(3, #fp) .. fp .. st
          if new ~= old then redis.call('HSET', key, field, new) end
        end

        """;

    // After the fence, ARGV is a sequence of operations: op, key index (1-based into KEYS), count, then count fields/pairs
    // (FOLD: triples of field, fingerprint and state, each 'k' to keep, 'd' to delete or 's' followed by the new bytes).
    // Pass 1 validates every key's type so that pass 2 (the writes) cannot fail half-way.
    private const string CommitScript = FenceCheck + EntryFunctions + """
        local function width(op) if op == 'FOLD' then return 3 elseif op == 'HSET' or op == 'ZADD' then return 2 else return 1 end end
        local function expected(op) if op == 'HSET' or op == 'HDEL' or op == 'FOLD' then return 'hash' else return 'zset' end end
        local function merge(part, arg)
          local action = string.sub(arg, 1, 1)
          if action == 's' then return string.sub(arg, 2) elseif action == 'd' then return '' else return part end
        end
        local i = 3
        while i <= #ARGV do
          local op = ARGV[i]
          if op ~= 'HSET' and op ~= 'HDEL' and op ~= 'ZADD' and op ~= 'ZREM' and op ~= 'FOLD' then
            return redis.error_reply('ERR unknown commit operation ' .. tostring(op) .. '; nothing was written')
          end
          local key = KEYS[tonumber(ARGV[i + 1])]
          local actual = redis.call('TYPE', key)['ok']
          if actual ~= 'none' and actual ~= expected(op) then
            return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. actual .. ', expected a ' .. expected(op) .. '; nothing was written')
          end
          i = i + 3 + tonumber(ARGV[i + 2]) * width(op)
        end
        i = 3
        local writes = 0
        while i <= #ARGV do
          local op = ARGV[i]
          local key = KEYS[tonumber(ARGV[i + 1])]
          local n = tonumber(ARGV[i + 2])
          local j = i + 3
          for x = 0, n - 1 do
            if op == 'FOLD' then
              local field = ARGV[j + 3 * x]
              local old = redis.call('HGET', key, field)
              local fp, st = split_entry(old or nil)
              write_entry(key, field, old or nil, merge(fp, ARGV[j + 3 * x + 1]), merge(st, ARGV[j + 3 * x + 2]))
            elseif op == 'HSET' then redis.call('HSET', key, ARGV[j + 2 * x], ARGV[j + 2 * x + 1])
            elseif op == 'ZADD' then redis.call('ZADD', key, ARGV[j + 2 * x], ARGV[j + 2 * x + 1])
            elseif op == 'HDEL' then redis.call('HDEL', key, ARGV[j + x])
            else redis.call('ZREM', key, ARGV[j + x]) end
            writes = writes + 1
          end
          i = j + n * width(op)
        end
        return writes
        """;

    // KEYS: lease, cursors, fingerprints of the resource, meta, message cursors, conversation schedule, discovery queue.
    // ARGV (after the fence): resource, '1' to drop the conversation states, '1' to drop the schedule and the
    // conversation fingerprints, '1' to drop the discovery queue. States and conversation fingerprints share the
    // entries of the message-cursor hash: one half is dropped, the other kept, page by page of HSCAN in this script.
    private const string ResetScript = FenceCheck + EntryFunctions + """
        local function strip(key, drop_state)
          local cursor = '0'
          repeat
            local page = redis.call('HSCAN', key, cursor, 'COUNT', 1000)
            cursor = page[1]
            local entries = page[2]
            for k = 1, #entries, 2 do
              local fp, st = split_entry(entries[k + 1])
              if drop_state then st = '' else fp = '' end
              write_entry(key, entries[k], entries[k + 1], fp, st)
            end
          until cursor == '0'
        end
        redis.call('HDEL', KEYS[2], ARGV[3])
        redis.call('DEL', KEYS[3])
        local prefix = ARGV[3] .. ':'
        local doomed = {}
        for _, field in ipairs(redis.call('HKEYS', KEYS[4])) do
          if string.sub(field, 1, #prefix) == prefix then table.insert(doomed, field) end
        end
        for i = 1, #doomed, 1000 do redis.call('HDEL', KEYS[4], unpack(doomed, i, math.min(i + 999, #doomed))) end
        if ARGV[4] == '1' then strip(KEYS[5], true) end
        if ARGV[5] == '1' then redis.call('DEL', KEYS[6]); strip(KEYS[5], false) end
        if ARGV[6] == '1' then redis.call('DEL', KEYS[7]) end
        return 1
        """;

    // KEYS: lease, meta. ARGV (after the fence): field, value. Returns 1 when this call created the marker.
    private const string MarkerScript = FenceCheck + """
        return redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4])
        """;

    private static readonly string CurrentFormat = RedisKeys.CurrentStateFormat.ToString(CultureInfo.InvariantCulture);

    // The resource whose fingerprints live in the message-cursor hash, beside each conversation's state (state format 3).
    private const string FoldedResource = "conversations";

    private readonly ILogger<RedisCursorStore> _logger;
    private readonly RedisConnection _redis;
    private readonly bool _ownsConnection;
    private readonly CaptureLease? _fence;

    // What this store last learnt of the state marker. Once seen, every read and commit checks, atomically with
    // itself, that the marker is still there, so a Redis emptied mid-cycle (restarted without persistence,
    // flushed) is reported as lost state instead of being read as "nothing captured yet" — which would publish
    // existing entities as creates and commit a partial state. Once lost, reads and commits keep failing until
    // the next cycle's marker check (LoadMetaAsync) sees the loss and recovers.
    private volatile MarkerState _marker;

    // Whether the stored state is known to be in the current format (no value in an earlier release's form left).
    private volatile bool _currentFormat;

    /// <summary>A store with its own connection and no fence (tests, tools): writes are not checked against a lease.</summary>
    public RedisCursorStore(IOptions<RedisOptions> options, ILogger<RedisCursorStore> logger)
        : this(new RedisConnection(options.Value.Configuration!), new RedisKeys(options.Value.KeyPrefix), logger, fence: null)
    {
        _ownsConnection = true;
    }

    /// <summary>
    /// The store of one account on the process's shared connection. With <paramref name="fence"/>, every write
    /// (commit, reset, state marker) presents the lease's holder and epoch and is refused atomically with
    /// <see cref="LeaseLostException"/> when the lease moved on or is not held.
    /// </summary>
    public RedisCursorStore(RedisConnection redis, RedisKeys keys, ILogger<RedisCursorStore> logger, CaptureLease? fence)
    {
        _redis = redis;
        _logger = logger;
        _fence = fence;
        Keys = keys;
    }

    public RedisKeys Keys { get; }

    /// <summary>The lease every write of this store presents, or null when unfenced.</summary>
    public CaptureLease? Fence => _fence;

    public Task<IReadOnlyDictionary<string, ResourceCursor>> LoadCursorsAsync(CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var entries = await Guarded(db, d => d.HashGetAllAsync(Keys.Cursors));
            var cursors = new Dictionary<string, ResourceCursor>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                cursors[entry.Name!] = LoadCursor(entry.Value, Keys.Cursors, entry.Name!);
            }

            return (IReadOnlyDictionary<string, ResourceCursor>)cursors;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetFingerprintsAsync(string resource, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            if (resource != FoldedResource)
            {
                return await HashLookupAsync(db, Keys.Fingerprints(resource), ids, (v, _) => RedisFingerprintEncoding.Decode(v));
            }

            // Conversations keep their fingerprint in their state entry; until the upgrade finished, one may still be in the earlier hash.
            var folded = await HashLookupAsync(db, Keys.MessageCursors, ids, FoldedFingerprint);
            if (_currentFormat || folded.Count == ids.Count)
            {
                return folded;
            }

            var legacy = await HashLookupAsync(db, Keys.Fingerprints(resource), [.. ids.Where(id => !folded.ContainsKey(id))], (v, _) => RedisFingerprintEncoding.Decode(v));
            return (IReadOnlyDictionary<string, string>)folded.Concat(legacy).ToDictionary(StringComparer.Ordinal);
        }, cancellationToken);

    public async IAsyncEnumerable<KeyValuePair<string, string>> ScanFingerprintsAsync(string resource, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (resource != FoldedResource)
        {
            await foreach (var entry in ScanHashAsync(Keys.Fingerprints(resource), (v, _) => RedisFingerprintEncoding.Decode(v), cancellationToken))
            {
                yield return entry;
            }

            yield break;
        }

        var folded = _currentFormat ? null : new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in ScanHashAsync(Keys.MessageCursors, FoldedFingerprint, cancellationToken))
        {
            folded?.Add(entry.Key);
            yield return entry;
        }

        if (folded is not null)
        {
            await foreach (var entry in ScanHashAsync(Keys.Fingerprints(resource), (v, _) => RedisFingerprintEncoding.Decode(v), cancellationToken))
            {
                if (!folded.Contains(entry.Key))
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>The entries of a hash whose value maps to non-null, streamed in pages; the state marker is checked at the end.</summary>
    private async IAsyncEnumerable<KeyValuePair<string, string>> ScanHashAsync(string key, Func<RedisValue, string, string?> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = await Run(db => Task.FromResult(db), cancellationToken);
        await using var entries = db.HashScanAsync(key, pageSize: 1000).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await entries.MoveNextAsync();
            }
            catch (Exception e) when (IsUnavailable(e))
            {
                throw Unavailable("scan fingerprints", e);
            }

            if (!more)
            {
                // A scan cannot run in a transaction: the marker is checked once it finished instead.
                await Run(db => Guarded(db, d => d.HashExistsAsync(Keys.Meta, RedisKeys.StateCreatedAtField)), cancellationToken);
                yield break;
            }

            var id = RedisIdEncoding.Decode(entries.Current.Name);
            if (map(entries.Current.Value, id) is { } value)
            {
                yield return new KeyValuePair<string, string>(id, value);
            }
        }
    }

    public Task<IReadOnlyDictionary<string, ConversationPollState>> GetConversationStatesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default) =>
        Run(db => HashLookupAsync(db, Keys.MessageCursors, conversationIds, LoadConversationState), cancellationToken);

    public Task<IReadOnlyList<string>> GetDueConversationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var due = await Guarded(db, d => d.SortedSetRangeByScoreAsync(Keys.ConversationSchedule, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: limit));
            return (IReadOnlyList<string>)[.. due.Select(RedisIdEncoding.Decode)];
        }, cancellationToken);

    public Task<IReadOnlyList<string>> GetQueuedDiscoveriesAsync(int limit, CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var queued = await Guarded(db, d => d.SortedSetRangeByRankAsync(Keys.DiscoveryQueue, 0, limit - 1));
            return (IReadOnlyList<string>)[.. queued.Select(RedisIdEncoding.Decode)];
        }, cancellationToken);

    public Task<long> CountScheduledConversationsAsync(CancellationToken cancellationToken = default) =>
        Run(db => db.SortedSetLengthAsync(Keys.ConversationSchedule), cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> LoadMetaAsync(CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var meta = (await db.HashGetAllAsync(Keys.Meta)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
            _marker = meta.ContainsKey(RedisKeys.StateCreatedAtField) ? MarkerState.Seen : MarkerState.Unknown;
            _currentFormat = meta.GetValueOrDefault(RedisKeys.StateFormatField) == CurrentFormat;
            return (IReadOnlyDictionary<string, string>)meta;
        }, cancellationToken);

    public Task<StateMarker> EnsureStateMarkerAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            // Read before write: a running deployment then touches Redis only in CommitAsync, so a paused or
            // read-only replica delays acknowledgements without blocking capture start.
            var existing = (string?)await db.HashGetAsync(Keys.Meta, RedisKeys.StateCreatedAtField);
            if (existing is not null)
            {
                _marker = MarkerState.Seen;
                return new StateMarker(
                    DateTimeOffset.TryParse(existing, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var known) ? known : now,
                    CreatedNow: false);
            }

            var stamp = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            var (holder, epoch) = FenceArguments();
            var createdNow = (long)await db.ScriptEvaluateAsync(MarkerScript, [Keys.Lease, Keys.Meta], [holder, epoch, RedisKeys.StateCreatedAtField, stamp]) == 1;
            _marker = MarkerState.Seen;
            if (createdNow)
            {
                Log.StateCreated(_logger, Keys.Prefix);
                return new StateMarker(now, CreatedNow: true);
            }

            var stored = (string?)await db.HashGetAsync(Keys.Meta, RedisKeys.StateCreatedAtField);
            return new StateMarker(
                DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : now,
                CreatedNow: false);
        }, cancellationToken);

    public Task<long> UpgradeAsync(CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            if ((string?)await db.HashGetAsync(Keys.Meta, RedisKeys.StateFormatField) == CurrentFormat)
            {
                _currentFormat = true;
                return 0L;
            }

            var rewritten = await RedisStateUpgrade.RunAsync(db, Keys, cancellationToken);
            await db.HashSetAsync(Keys.Meta, RedisKeys.StateFormatField, CurrentFormat);
            _currentFormat = true;
            Log.StateUpgraded(_logger, Keys.Prefix, RedisKeys.CurrentStateFormat, rewritten);
            return rewritten;
        }, cancellationToken);

    public Task CommitAsync(StateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var (keys, arguments) = BuildCommit(commit, FenceArguments());
        return Run(async db =>
        {
            try
            {
                await Guarded(db, d => d.ScriptEvaluateAsync(CommitScript, keys, arguments));
            }
            catch (RedisServerException e) when (!IsFenced(e))
            {
                throw new InvalidOperationException($"Redis refused the state commit under prefix {Keys.Prefix}: {e.Message}", e);
            }

            return true;
        }, cancellationToken);
    }

    public Task ResetAsync(string resource, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        var (holder, epoch) = FenceArguments();
        return Run(async db =>
        {
            // One script: a superseded writer's reset deletes nothing, and no commit lands between the deletions.
            await db.ScriptEvaluateAsync(ResetScript,
                [Keys.Lease, Keys.Cursors, Keys.Fingerprints(resource), Keys.Meta, Keys.MessageCursors, Keys.ConversationSchedule, Keys.DiscoveryQueue],
                [holder, epoch, resource, resource == "messages" ? "1" : "0", resource == "conversations" ? "1" : "0", resource == ICursorStore.DiscoveryQueue ? "1" : "0"]);
            Log.StateReset(_logger, resource, Keys.Prefix);
            return true;
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _redis.DisposeAsync();
        }
    }

    internal (RedisKey[] Keys, RedisValue[] Arguments) BuildCommit(StateCommit commit, (RedisValue Holder, RedisValue Epoch) fence)
    {
        var keys = new List<RedisKey> { Keys.Lease };
        var arguments = new List<RedisValue> { fence.Holder, fence.Epoch };

        void Op(string op, string key, IReadOnlyCollection<RedisValue> values, int width)
        {
            if (values.Count == 0)
            {
                return;
            }

            var index = keys.IndexOf(key);
            if (index < 0)
            {
                keys.Add(key);
                index = keys.Count - 1;
            }

            arguments.Add(op);
            arguments.Add(index + 1);
            arguments.Add(values.Count / width);
            arguments.AddRange(values);
        }

        // Values are encoded here, the one place that knows the stored forms (RedisIdEncoding, RedisFingerprintEncoding,
        // ConversationStateEncoding); the script below only moves bytes.
        Op("HSET", Keys.Cursors, [.. commit.Cursors.SelectMany(c => new RedisValue[] { c.Key, c.Value.Serialize() })], 2);
        foreach (var (resource, fingerprints) in commit.Fingerprints.Where(f => f.Key != FoldedResource))
        {
            Op("HSET", Keys.Fingerprints(resource), [.. fingerprints.Where(f => f.Value is not null).SelectMany(f => new[] { RedisIdEncoding.Encode(f.Key), RedisFingerprintEncoding.Encode(f.Value!) })], 2);
            Op("HDEL", Keys.Fingerprints(resource), [.. fingerprints.Where(f => f.Value is null).Select(f => RedisIdEncoding.Encode(f.Key))], 1);
        }

        // A conversation's fingerprint and state share one entry (ConversationEntryEncoding): the script merges
        // whichever half this commit changes into the stored entry.
        var conversationFingerprints = commit.Fingerprints.GetValueOrDefault(FoldedResource) ?? [];
        var conversations = conversationFingerprints.Keys.Union(commit.ConversationStates.Keys, StringComparer.Ordinal).ToList();
        Op("FOLD", Keys.MessageCursors, [.. conversations.SelectMany(id => new[]
        {
            RedisIdEncoding.Encode(id),
            FoldArgument(conversationFingerprints.TryGetValue(id, out var fingerprint), fingerprint is null ? null : (byte[])RedisFingerprintEncoding.Encode(fingerprint)!),
            FoldArgument(commit.ConversationStates.TryGetValue(id, out var state), state is null ? null : ConversationStateEncoding.Encode(state)),
        })], 3);
        Op("ZADD", Keys.ConversationSchedule, [.. commit.Schedule.Where(s => s.Value is not null).SelectMany(s => new[] { s.Value!.Value.ToUnixTimeMilliseconds(), RedisIdEncoding.Encode(s.Key) })], 2);
        Op("ZREM", Keys.ConversationSchedule, [.. commit.Schedule.Where(s => s.Value is null).Select(s => RedisIdEncoding.Encode(s.Key))], 1);
        Op("ZADD", Keys.DiscoveryQueue, [.. commit.Discoveries.Where(d => d.Value is not null).SelectMany(d => new[] { d.Value!.Value.ToUnixTimeMilliseconds(), RedisIdEncoding.Encode(d.Key) })], 2);
        Op("ZREM", Keys.DiscoveryQueue, [.. commit.Discoveries.Where(d => d.Value is null).Select(d => RedisIdEncoding.Encode(d.Key))], 1);
        Op("HSET", Keys.Meta, [.. commit.Meta.SelectMany(m => new RedisValue[] { m.Key, m.Value })], 2);
        return ([.. keys], [.. arguments]);
    }

    /// <summary>The commit script's instruction for one half of a conversation entry: keep (<c>k</c>), delete (<c>d</c>) or set (<c>s</c> + bytes).</summary>
    private static RedisValue FoldArgument(bool changed, byte[]? value)
    {
        if (!changed)
        {
            return "k";
        }

        if (value is null)
        {
            return "d";
        }

        if (value.Length > byte.MaxValue)
        {
            throw new ArgumentException($"A stored conversation value of {value.Length} bytes is too long for its state entry.", nameof(value));
        }

        return (byte[])[(byte)'s', .. value];
    }

    /// <summary>A command on a key outside the capture state (in-flight progress): no marker check, no commit script.</summary>
    internal Task<T> RunOutsideStateAsync<T>(Func<IDatabase, Task<T>> action, CancellationToken cancellationToken) => Run(action, cancellationToken);

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var db = await _redis.GetDatabaseAsync(cancellationToken);
            return await action(db).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable("reach the state store", e);
        }
        catch (RedisServerException e) when (IsFenced(e))
        {
            var message = $"account {_fence?.Account}: Redis refused a write under {Keys.Prefix}: {e.Message["FENCED ".Length..]}";
            _fence?.MarkLost(e.Message["FENCED ".Length..]);
            throw new LeaseLostException(message);
        }
    }

    /// <summary>The holder and epoch a write presents; empty when unfenced. Throws <see cref="LeaseLostException"/> when the lease is not held.</summary>
    private (RedisValue Holder, RedisValue Epoch) FenceArguments() =>
        _fence is null ? (RedisValue.EmptyString, RedisValue.EmptyString) : _fence.Fence() is var token ? (token.Holder, token.Epoch) : default;

    private static bool IsFenced(RedisServerException e) => e.Message.StartsWith("FENCED ", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="command"/> on condition that the state marker still exists, once it was seen.</summary>
    private async Task<T> Guarded<T>(IDatabase db, Func<IDatabaseAsync, Task<T>> command)
    {
        switch (_marker)
        {
            case MarkerState.Unknown:
                return await command(db);
            case MarkerState.Lost:
                throw StateDisappeared();
        }

        for (var attempt = 1; ; attempt++)
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.HashExists(Keys.Meta, RedisKeys.StateCreatedAtField));
            var result = command(transaction);
            if (await transaction.ExecuteAsync())
            {
                return await result;
            }

            // A condition is a WATCH on the meta hash: any write to it between the check and EXEC (the lease holder's
            // commit beside `status`, a concurrent catalogue pass's commit) aborts the transaction as well, with
            // nothing applied. Only a marker that is really gone is lost state; otherwise the command is sent again.
            if (!await db.HashExistsAsync(Keys.Meta, RedisKeys.StateCreatedAtField))
            {
                _marker = MarkerState.Lost;
                throw StateDisappeared();
            }

            if (attempt >= MaxGuardAttempts)
            {
                throw new CursorStoreUnavailableException(
                    $"The capture state under {Keys.Prefix} kept changing under a guarded command ({MaxGuardAttempts} attempts); the cycle is repeated.");
            }
        }
    }

    /// <summary>Attempts of a guarded command whose transaction a concurrent write to the meta hash aborted.</summary>
    private const int MaxGuardAttempts = 20;

    private CursorStoreUnavailableException StateDisappeared() => new(
        $"The capture state under {Keys.Prefix} disappeared from Redis at {_redis.Endpoints} during the cycle (restarted empty, flushed or failed over). " +
        "Nothing was committed; the next cycle detects the loss and re-captures.");

    private enum MarkerState
    {
        Unknown,
        Seen,
        Lost,
    }

    private static bool IsUnavailable(Exception e) => RedisConnection.IsUnavailable(e);

    private CursorStoreUnavailableException Unavailable(string action, Exception e) => _redis.Unavailable(action, e);

    /// <summary>
    /// Reads the fields of <paramref name="ids"/> from a hash. Until the state is known to be in the current format,
    /// an id earlier releases stored as text is also looked up in that form, so state not yet upgraded (read by
    /// <c>status</c>, or an upgrade interrupted half-way) means the same.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, T>> HashLookupAsync<T>(IDatabase db, string key, IReadOnlyCollection<string> ids, Func<RedisValue, string, T?> map)
        where T : class
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var legacy = _currentFormat ? [] : distinct.Where(RedisIdEncoding.IsShortened).ToList();
        RedisValue[] fields = [.. distinct.Select(RedisIdEncoding.Encode), .. legacy.Select(id => (RedisValue)id)];
        var values = await Guarded(db, d => d.HashGetAsync(key, fields));
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            if (!values[i].IsNull && map(values[i], distinct[i]) is { } value)
            {
                result[distinct[i]] = value;
            }
        }

        for (var i = 0; i < legacy.Count; i++)
        {
            if (!values[distinct.Count + i].IsNull && !result.ContainsKey(legacy[i]) && map(values[distinct.Count + i], legacy[i]) is { } value)
            {
                result[legacy[i]] = value;
            }
        }

        return result;
    }

    /// <summary>The poll state of a conversation entry, or null when the entry holds only its fingerprint.</summary>
    private ConversationPollState? LoadConversationState(RedisValue value, string conversationId)
    {
        try
        {
            return ConversationEntryEncoding.Split((byte[])value!).State is { } state ? ConversationStateEncoding.Decode(state) : null;
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The conversation state in Redis hash {Keys.MessageCursors} field {conversationId} is unreadable ({e.Message}); clear it with `reset --resource messages`.", e);
        }
    }

    /// <summary>The fingerprint of a conversation entry, or null when it has none (a state of an earlier format, or a state alone).</summary>
    private string? FoldedFingerprint(RedisValue value, string conversationId)
    {
        try
        {
            return ConversationEntryEncoding.Split((byte[])value!).Fingerprint is { } fingerprint ? RedisFingerprintEncoding.Decode(fingerprint) : null;
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The conversation entry in Redis hash {Keys.MessageCursors} field {conversationId} is unreadable ({e.Message}); clear it with `reset --resource conversations`.", e);
        }
    }

    private static ResourceCursor LoadCursor(RedisValue value, string key, string field)
    {
        try
        {
            return ResourceCursor.Load(value);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The cursor in Redis hash {key} field {field} is unreadable ({e.Message}); clear it with `reset --resource`.", e);
        }
    }
}
