using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// Rewrites state written by earlier releases into the current layout (state format 3), key by key, page by page,
/// each page in one MULTI: fingerprint hashes (ids and 64-hex fingerprints; format 1), conversation states (JSON →
/// binary; format 1, and each into a format 3 entry), the schedule (ids; format 1), the discovery queue (from the
/// fingerprint hash <c>fp:conversation_discovery</c> to its own sorted set; format 1), and last the conversations'
/// fingerprints, moved from <c>fp:conversations</c> into their state entries (formats 1 and 2). Every step is
/// idempotent and every reader accepts both forms, so an interrupted upgrade resumes at the next start and nothing
/// in between is misread; only when all keys are done is <c>state_format</c> recorded. Runs before the capture
/// cycle reads state, under the account's single writer.
/// </summary>
internal static class RedisStateUpgrade
{
    private const int PageSize = 500;

    public static async Task<long> RunAsync(IDatabase db, RedisKeys keys, CancellationToken cancellationToken)
    {
        long rewritten = 0;
        foreach (var key in await FingerprintKeysAsync(db, keys))
        {
            if (key == keys.LegacyDiscoveryQueue)
            {
                rewritten += await MoveDiscoveryQueueAsync(db, keys, cancellationToken);
                continue;
            }

            if (key == keys.Fingerprints(FoldedResource))
            {
                continue; // folded into the conversation entries below, in whichever form it is
            }

            rewritten += await RewriteHashAsync(db, key, (name, value) =>
                RedisIdEncoding.IsCompact(name) && RedisFingerprintEncoding.IsCompact(value)
                    ? null
                    : (RedisIdEncoding.Encode(RedisIdEncoding.Decode(name)), RedisFingerprintEncoding.IsCompact(value) ? value : RedisFingerprintEncoding.Encode(value!)), cancellationToken);
        }

        rewritten += await RewriteHashAsync(db, keys.MessageCursors, (name, value) =>
            RedisIdEncoding.IsCompact(name) && ConversationEntryEncoding.IsCurrent((byte[])value!)
                ? null
                : (RedisIdEncoding.Encode(RedisIdEncoding.Decode(name)), ConversationEntryEncoding.Encode(null, ConversationStateEncoding.Encode(ConversationStateEncoding.Decode((byte[])value!)))), cancellationToken);
        rewritten += await RewriteScheduleAsync(db, keys.ConversationSchedule, cancellationToken);
        rewritten += await FoldConversationFingerprintsAsync(db, keys, cancellationToken);
        return rewritten;
    }

    private const string FoldedResource = "conversations";

    /// <summary>
    /// Moves each fingerprint of <c>fp:conversations</c> (text or compact id, 64-hex or compact fingerprint) into the
    /// conversation's state entry, and deletes it from the hash in the same MULTI. The entries were all rewritten to
    /// format 3 just before; a conversation with a fingerprint but no state gets an entry holding only the fingerprint.
    /// </summary>
    private static async Task<long> FoldConversationFingerprintsAsync(IDatabase db, RedisKeys keys, CancellationToken cancellationToken)
    {
        var source = keys.Fingerprints(FoldedResource);
        var entries = new List<HashEntry>();
        await foreach (var entry in db.HashScanAsync(source, pageSize: PageSize).WithCancellation(cancellationToken))
        {
            entries.Add(entry);
        }

        foreach (var chunk in entries.Chunk(PageSize))
        {
            var fields = chunk.Select(e => RedisIdEncoding.Encode(RedisIdEncoding.Decode(e.Name))).ToArray();
            var stored = await db.HashGetAsync(keys.MessageCursors, fields);
            var transaction = db.CreateTransaction();
            for (var i = 0; i < chunk.Length; i++)
            {
                var value = chunk[i].Value;
                var fingerprint = (byte[])(RedisFingerprintEncoding.IsCompact(value) ? value : RedisFingerprintEncoding.Encode(value!))!;
                var state = stored[i].IsNull ? null : ConversationEntryEncoding.Split((byte[])stored[i]!).State;
                _ = transaction.HashSetAsync(keys.MessageCursors, fields[i], ConversationEntryEncoding.Encode(fingerprint, state));
            }

            _ = transaction.HashDeleteAsync(source, [.. chunk.Select(e => e.Name)]);
            await transaction.ExecuteAsync();
        }

        return entries.Count;
    }

    private static async Task<List<string>> FingerprintKeysAsync(IDatabase db, RedisKeys keys)
    {
        var pattern = Escape(keys.Fingerprints(string.Empty)) + "*";
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in db.Multiplexer.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(db.Database, pattern, PageSize))
            {
                // Resource names have no colon: a longer key belongs to another prefix that starts like this one.
                if (!((string)key!)[keys.Fingerprints(string.Empty).Length..].Contains(':', StringComparison.Ordinal))
                {
                    found.Add(key!);
                }
            }
        }

        return [.. found.Order(StringComparer.Ordinal)];
    }

    private static async Task<long> RewriteHashAsync(IDatabase db, string key, Func<RedisValue, RedisValue, (RedisValue Name, RedisValue Value)?> rewrite,
        CancellationToken cancellationToken)
    {
        long rewritten = 0;
        var page = new List<(RedisValue Old, RedisValue Name, RedisValue Value)>();
        async Task FlushAsync()
        {
            if (page.Count == 0)
            {
                return;
            }

            var transaction = db.CreateTransaction();
            foreach (var (old, name, value) in page)
            {
                if (!old.Equals(name))
                {
                    _ = transaction.HashDeleteAsync(key, old);
                }

                _ = transaction.HashSetAsync(key, name, value);
            }

            await transaction.ExecuteAsync();
            rewritten += page.Count;
            page.Clear();
        }

        await foreach (var entry in db.HashScanAsync(key, pageSize: PageSize).WithCancellation(cancellationToken))
        {
            if (rewrite(entry.Name, entry.Value) is { } target)
            {
                page.Add((entry.Name, target.Name, target.Value));
                if (page.Count >= PageSize)
                {
                    await FlushAsync();
                }
            }
        }

        await FlushAsync();
        return rewritten;
    }

    private static async Task<long> RewriteScheduleAsync(IDatabase db, string key, CancellationToken cancellationToken)
    {
        var stale = new List<SortedSetEntry>();
        await foreach (var entry in db.SortedSetScanAsync(key, pageSize: PageSize).WithCancellation(cancellationToken))
        {
            if (!RedisIdEncoding.IsCompact(entry.Element))
            {
                stale.Add(entry);
            }
        }

        foreach (var chunk in stale.Chunk(PageSize))
        {
            var transaction = db.CreateTransaction();
            _ = transaction.SortedSetRemoveAsync(key, [.. chunk.Select(e => e.Element)]);
            _ = transaction.SortedSetAddAsync(key, [.. chunk.Select(e => new SortedSetEntry(RedisIdEncoding.Encode(RedisIdEncoding.Decode(e.Element)), e.Score))]);
            await transaction.ExecuteAsync();
        }

        return stale.Count;
    }

    /// <summary>The legacy queue's values are the times users were queued; they keep their order in the sorted set.</summary>
    private static async Task<long> MoveDiscoveryQueueAsync(IDatabase db, RedisKeys keys, CancellationToken cancellationToken)
    {
        var entries = new List<HashEntry>();
        await foreach (var entry in db.HashScanAsync(keys.LegacyDiscoveryQueue, pageSize: PageSize).WithCancellation(cancellationToken))
        {
            entries.Add(entry);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var chunk in entries.Chunk(PageSize))
        {
            var transaction = db.CreateTransaction();
            _ = transaction.SortedSetAddAsync(keys.DiscoveryQueue, [.. chunk.Select(e => new SortedSetEntry(
                RedisIdEncoding.Encode(RedisIdEncoding.Decode(e.Name)),
                ResourceCursor.ParseTime(e.Value)?.ToUnixTimeMilliseconds() ?? now))]);
            _ = transaction.HashDeleteAsync(keys.LegacyDiscoveryQueue, [.. chunk.Select(e => e.Name)]);
            await transaction.ExecuteAsync();
        }

        return entries.Count;
    }

    private static string Escape(string literal)
    {
        var escaped = new System.Text.StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
