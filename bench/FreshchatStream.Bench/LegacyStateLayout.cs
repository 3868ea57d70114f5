using FreshchatStream.Producer.State;
using StackExchange.Redis;

namespace FreshchatStream.Bench;

/// <summary>
/// Writes capture state the way releases before state format 2 did — ids as text, fingerprints as 64 hex
/// characters, message cursors as versioned JSON with the schedule's values in string properties, the discovery
/// queue in the fingerprint hash <c>fp:conversation_discovery</c>, no <c>state_format</c> meta field — so the
/// <c>state-bytes</c> benchmark can size both layouts in one run and upgrade tests start from data in that format.
/// </summary>
public static class LegacyStateLayout
{
    /// <summary>A message cursor JSON exactly as the earlier <c>ConversationsCapture</c> wrote it.</summary>
    public static string MessageCursorJson(ConversationPollState state)
    {
        var cursor = ResourceCursor.Initial() with
        {
            HighWaterMark = state.Messages.HighWaterMark,
            IdsAtHighWaterMark = state.Messages.IdsAtHighWaterMark,
            UpdatedAt = state.PolledAt,
        };
        cursor = cursor.WithProperty("idle", state.IdlePolls.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithProperty("updated_time", state.UpdatedTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture))
            .WithTime("recheck_at", state.RecheckAt);
        return cursor.Serialize();
    }

    /// <summary>
    /// Rewrites state format 3 into format 2, as main wrote it before conversation fingerprints were folded into their
    /// state entries: each conversation's fingerprint back in <c>fp:conversations</c> (compact id, 13 bytes), its
    /// state alone in <c>msgcursor</c>, <c>state_format</c> = 2.
    /// </summary>
    public static async Task UnfoldAsync(IDatabase db, RedisKeys keys)
    {
        foreach (var entry in await db.HashGetAllAsync(keys.MessageCursors))
        {
            var (fingerprint, state) = ConversationEntryEncoding.Split((byte[])entry.Value!);
            if (fingerprint is not null)
            {
                await db.HashSetAsync(keys.Fingerprints("conversations"), entry.Name, fingerprint);
            }

            if (state is null)
            {
                await db.HashDeleteAsync(keys.MessageCursors, entry.Name);
            }
            else
            {
                await db.HashSetAsync(keys.MessageCursors, entry.Name, state);
            }
        }

        await db.HashSetAsync(keys.Meta, RedisKeys.StateFormatField, "2");
    }

    /// <summary>
    /// Rewrites the compact state under <paramref name="keys"/> into the earlier layout (the fingerprint hashes of
    /// <paramref name="fingerprintResources"/> only: the others stay compact, as after an interrupted upgrade). The stored fingerprints
    /// keep 96 bits only, so the full ones come from <paramref name="fullFingerprint"/> (what the published
    /// versions hash to, given the stored 24-hex prefix); <paramref name="fullFingerprint"/> throws when it has none. Every conversation is made due now, and is in the schedule as no conversation was retired then.
    /// </summary>
    public static async Task DowngradeAsync(IDatabase db, RedisKeys keys, IReadOnlyCollection<string> fingerprintResources, Func<string, string> fullFingerprint)
    {
        await UnfoldAsync(db, keys);
        foreach (var key in fingerprintResources.Select(keys.Fingerprints))
        {
            foreach (var entry in await db.HashGetAllAsync(key))
            {
                var value = RedisFingerprintEncoding.Decode(entry.Value);
                var full = value.Length == 24 ? fullFingerprint(value) : value;
                await db.HashDeleteAsync(key, entry.Name);
                await db.HashSetAsync(key, RedisIdEncoding.Decode(entry.Name), full);
            }
        }

        foreach (var entry in await db.HashGetAllAsync(keys.MessageCursors))
        {
            await db.HashDeleteAsync(keys.MessageCursors, entry.Name);
            await db.HashSetAsync(keys.MessageCursors, RedisIdEncoding.Decode(entry.Name), MessageCursorJson(ConversationStateEncoding.Decode((byte[])entry.Value!)));
        }

        foreach (var entry in await db.SortedSetRangeByRankWithScoresAsync(keys.ConversationSchedule))
        {
            await db.SortedSetRemoveAsync(keys.ConversationSchedule, entry.Element);
            await db.SortedSetAddAsync(keys.ConversationSchedule, RedisIdEncoding.Decode(entry.Element), 0);
        }

        // Earlier releases never retired a conversation: every one with a state was in the schedule.
        foreach (var id in await db.HashKeysAsync(keys.MessageCursors))
        {
            await db.SortedSetAddAsync(keys.ConversationSchedule, id, 0, When.NotExists);
        }

        foreach (var entry in await db.SortedSetRangeByRankWithScoresAsync(keys.DiscoveryQueue))
        {
            await db.HashSetAsync(keys.LegacyDiscoveryQueue, RedisIdEncoding.Decode(entry.Element),
                DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        await db.KeyDeleteAsync(keys.DiscoveryQueue);
        await db.HashDeleteAsync(keys.Meta, RedisKeys.StateFormatField);
    }
}
