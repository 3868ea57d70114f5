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
public sealed partial class RedisCursorStore : ICursorStore, IAsyncDisposable
{
    // ARGV is a sequence of operations: op, key index (1-based into KEYS), count, then count fields/pairs.
    // Pass 1 validates every key's type so that pass 2 (the writes) cannot fail half-way.
    private const string CommitScript = """
        local function width(op) if op == 'HSET' or op == 'ZADD' then return 2 else return 1 end end
        local function expected(op) if op == 'HSET' or op == 'HDEL' then return 'hash' else return 'zset' end end
        local i = 1
        while i <= #ARGV do
          local op = ARGV[i]
          if op ~= 'HSET' and op ~= 'HDEL' and op ~= 'ZADD' and op ~= 'ZREM' then
            return redis.error_reply('ERR unknown commit operation ' .. tostring(op) .. '; nothing was written')
          end
          local key = KEYS[tonumber(ARGV[i + 1])]
          local actual = redis.call('TYPE', key)['ok']
          if actual ~= 'none' and actual ~= expected(op) then
            return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. actual .. ', expected a ' .. expected(op) .. '; nothing was written')
          end
          i = i + 3 + tonumber(ARGV[i + 2]) * width(op)
        end
        i = 1
        local writes = 0
        while i <= #ARGV do
          local op = ARGV[i]
          local key = KEYS[tonumber(ARGV[i + 1])]
          local n = tonumber(ARGV[i + 2])
          local j = i + 3
          for x = 0, n - 1 do
            if op == 'HSET' then redis.call('HSET', key, ARGV[j + 2 * x], ARGV[j + 2 * x + 1])
            elseif op == 'ZADD' then redis.call('ZADD', key, ARGV[j + 2 * x], ARGV[j + 2 * x + 1])
            elseif op == 'HDEL' then redis.call('HDEL', key, ARGV[j + x])
            else redis.call('ZREM', key, ARGV[j + x]) end
            writes = writes + 1
          end
          i = j + n * width(op)
        end
        return writes
        """;

    private readonly ILogger<RedisCursorStore> _logger;
    private readonly RedisConnection _connection;
    private readonly bool _ownsConnection;
    private readonly string _endpoints;

    // What this store last learnt of the state marker. Once seen, every read and commit checks, atomically with
    // itself, that the marker is still there, so a Redis emptied mid-cycle (restarted without persistence,
    // flushed) is reported as lost state instead of being read as "nothing captured yet" — which would publish
    // existing entities as creates and commit a partial state. Once lost, reads and commits keep failing until
    // the next cycle's marker check (LoadMetaAsync) sees the loss and recovers.
    private volatile MarkerState _marker;

    /// <summary>A store with its own connection (closed when the store is disposed).</summary>
    public RedisCursorStore(IOptions<RedisOptions> options, ILogger<RedisCursorStore> logger)
        : this(options, new RedisConnection(options), logger, ownsConnection: true)
    {
    }

    /// <summary>A store on the process's shared <paramref name="connection"/>, under its own <c>Redis:KeyPrefix</c>.</summary>
    public RedisCursorStore(IOptions<RedisOptions> options, RedisConnection connection, ILogger<RedisCursorStore> logger)
        : this(options, connection, logger, ownsConnection: false)
    {
    }

    private RedisCursorStore(IOptions<RedisOptions> options, RedisConnection connection, ILogger<RedisCursorStore> logger, bool ownsConnection)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
        _endpoints = connection.Endpoints;
        _logger = logger;
        Keys = new RedisKeys(options.Value.KeyPrefix);
    }

    public RedisKeys Keys { get; }

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
        Run(async db => Zip(ids, await Guarded(db, d => d.HashGetAsync(Keys.Fingerprints(resource), ToValues(ids))), v => (string)v!), cancellationToken);

    public async IAsyncEnumerable<KeyValuePair<string, string>> ScanFingerprintsAsync(string resource, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var db = await Run(db => Task.FromResult(db), cancellationToken);
        await using var entries = db.HashScanAsync(Keys.Fingerprints(resource), pageSize: 1000).GetAsyncEnumerator(cancellationToken);
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

            yield return new KeyValuePair<string, string>(entries.Current.Name!, entries.Current.Value!);
        }
    }

    public Task<IReadOnlyDictionary<string, ResourceCursor>> GetMessageCursorsAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var values = await Guarded(db, d => d.HashGetAsync(Keys.MessageCursors, ToValues(conversationIds)));
            return Zip(conversationIds, values, (v, id) => LoadCursor(v, Keys.MessageCursors, id));
        }, cancellationToken);

    public Task<IReadOnlyList<string>> GetDueConversationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var due = await Guarded(db, d => d.SortedSetRangeByScoreAsync(Keys.ConversationSchedule, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: limit));
            return (IReadOnlyList<string>)[.. due.Select(v => (string)v!)];
        }, cancellationToken);

    public Task<long> CountScheduledConversationsAsync(CancellationToken cancellationToken = default) =>
        Run(db => db.SortedSetLengthAsync(Keys.ConversationSchedule), cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> LoadMetaAsync(CancellationToken cancellationToken = default) =>
        Run(async db =>
        {
            var meta = (await db.HashGetAllAsync(Keys.Meta)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
            _marker = meta.ContainsKey(RedisKeys.StateCreatedAtField) ? MarkerState.Seen : MarkerState.Unknown;
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
            _marker = MarkerState.Seen;
            if (await db.HashSetAsync(Keys.Meta, RedisKeys.StateCreatedAtField, stamp, When.NotExists))
            {
                LogStateCreated(_logger, Keys.Prefix);
                return new StateMarker(now, CreatedNow: true);
            }

            var stored = (string?)await db.HashGetAsync(Keys.Meta, RedisKeys.StateCreatedAtField);
            return new StateMarker(
                DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : now,
                CreatedNow: false);
        }, cancellationToken);

    public Task CommitAsync(StateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var (keys, arguments) = BuildCommit(commit);
        return Run(async db =>
        {
            try
            {
                await Guarded(db, d => d.ScriptEvaluateAsync(CommitScript, keys, arguments));
            }
            catch (RedisServerException e)
            {
                throw new InvalidOperationException($"Redis refused the state commit under prefix {Keys.Prefix}: {e.Message}", e);
            }

            return true;
        }, cancellationToken);
    }

    public Task ResetAsync(string resource, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        return Run(async db =>
        {
            var scoped = (await db.HashKeysAsync(Keys.Meta)).Where(f => ((string)f!).StartsWith(resource + ":", StringComparison.Ordinal)).ToArray();
            var transaction = db.CreateTransaction();
            _ = transaction.HashDeleteAsync(Keys.Cursors, resource);
            _ = transaction.KeyDeleteAsync(Keys.Fingerprints(resource));
            if (scoped.Length > 0)
            {
                _ = transaction.HashDeleteAsync(Keys.Meta, scoped);
            }

            if (resource == "messages")
            {
                _ = transaction.KeyDeleteAsync(Keys.MessageCursors);
            }

            if (resource == "conversations")
            {
                _ = transaction.KeyDeleteAsync(Keys.ConversationSchedule);
            }

            if (!await transaction.ExecuteAsync())
            {
                throw new InvalidOperationException($"Redis did not apply the reset of {resource}.");
            }

            LogReset(_logger, resource, Keys.Prefix);
            return true;
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync();
        }
    }

    internal (RedisKey[] Keys, RedisValue[] Arguments) BuildCommit(StateCommit commit)
    {
        var keys = new List<RedisKey>();
        var arguments = new List<RedisValue>();

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

        Op("HSET", Keys.Cursors, [.. commit.Cursors.SelectMany(c => new RedisValue[] { c.Key, c.Value.Serialize() })], 2);
        foreach (var (resource, fingerprints) in commit.Fingerprints)
        {
            Op("HSET", Keys.Fingerprints(resource), [.. fingerprints.Where(f => f.Value is not null).SelectMany(f => new RedisValue[] { f.Key, f.Value })], 2);
            Op("HDEL", Keys.Fingerprints(resource), [.. fingerprints.Where(f => f.Value is null).Select(f => (RedisValue)f.Key)], 1);
        }

        Op("HSET", Keys.MessageCursors, [.. commit.MessageCursors.Where(c => c.Value is not null).SelectMany(c => new RedisValue[] { c.Key, c.Value!.Serialize() })], 2);
        Op("HDEL", Keys.MessageCursors, [.. commit.MessageCursors.Where(c => c.Value is null).Select(c => (RedisValue)c.Key)], 1);
        Op("ZADD", Keys.ConversationSchedule, [.. commit.Schedule.Where(s => s.Value is not null).SelectMany(s => new RedisValue[] { s.Value!.Value.ToUnixTimeMilliseconds(), s.Key })], 2);
        Op("ZREM", Keys.ConversationSchedule, [.. commit.Schedule.Where(s => s.Value is null).Select(s => (RedisValue)s.Key)], 1);
        Op("HSET", Keys.Meta, [.. commit.Meta.SelectMany(m => new RedisValue[] { m.Key, m.Value })], 2);
        return ([.. keys], [.. arguments]);
    }

    /// <summary>A command on a key outside the capture state (in-flight progress): no marker check, no commit script.</summary>
    internal Task<T> RunOutsideStateAsync<T>(Func<IDatabase, Task<T>> action, CancellationToken cancellationToken) => Run(action, cancellationToken);

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var connection = await _connection.GetAsync().WaitAsync(cancellationToken);
            return await action(connection.GetDatabase()).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable("reach the state store", e);
        }
    }

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

        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.HashExists(Keys.Meta, RedisKeys.StateCreatedAtField));
        var result = command(transaction);
        if (!await transaction.ExecuteAsync())
        {
            _marker = MarkerState.Lost;
            throw StateDisappeared();
        }

        return await result;
    }

    private CursorStoreUnavailableException StateDisappeared() => new(
        $"The capture state under {Keys.Prefix} disappeared from Redis at {_endpoints} during the cycle (restarted empty, flushed or failed over). " +
        "Nothing was committed; the next cycle detects the loss and re-captures.");

    private enum MarkerState
    {
        Unknown,
        Seen,
        Lost,
    }

    private static bool IsUnavailable(Exception e) => e is RedisConnectionException or RedisTimeoutException;

    private CursorStoreUnavailableException Unavailable(string action, Exception e) =>
        new($"Redis at {_endpoints} is unavailable ({e.GetType().Name}); could not {action}. Nothing was committed.", e);

    private static RedisValue[] ToValues(IReadOnlyCollection<string> ids) => [.. ids.Select(id => (RedisValue)id)];

    private static IReadOnlyDictionary<string, T> Zip<T>(IReadOnlyCollection<string> ids, RedisValue[] values, Func<RedisValue, T> map) =>
        Zip(ids, values, (v, _) => map(v));

    private static IReadOnlyDictionary<string, T> Zip<T>(IReadOnlyCollection<string> ids, RedisValue[] values, Func<RedisValue, string, T> map)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var i = 0;
        foreach (var id in ids)
        {
            if (!values[i].IsNull)
            {
                result[id] = map(values[i], id);
            }

            i++;
        }

        return result;
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

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "No previous capture state under Redis prefix {Prefix}; starting from the beginning")]
    private static partial void LogStateCreated(ILogger logger, string prefix);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Reset {Resource} state under Redis prefix {Prefix}")]
    private static partial void LogReset(ILogger logger, string resource, string prefix);
}
