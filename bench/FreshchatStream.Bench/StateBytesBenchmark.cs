using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox;
using StackExchange.Redis;

namespace FreshchatStream.Bench;

/// <summary>
/// <c>state-bytes</c>: Redis bytes per user and per conversation. Backfills a sandbox account with the real producer
/// (<c>run</c> until every message is in Kafka), then sums <c>MEMORY USAGE … SAMPLES 0</c> over the account's keys:
/// per user the users' fingerprint hash, per conversation its state entry (fingerprint included since state format 3)
/// and schedule entry. The same state is then rewritten in format 2 (fingerprints in <c>fp:conversations</c>) and in the
/// layout of releases before format 2 (<see cref="LegacyStateLayout"/>, fingerprints padded to their 64 hex
/// characters) and measured again, so the three layouts are sized in one run.
/// </summary>
public static class StateBytesBenchmark
{
    private static readonly TimeSpan BackfillTimeout = TimeSpan.FromMinutes(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var users = BenchArguments.Int(args, "--users", 5_000);
        var perConversation = BenchArguments.Int(args, "--messages-per-conversation", 3);
        using var redis = await BenchRedis.StartAsync(BenchArguments.Value(args, "--redis"));
        var prefix = $"bench{Guid.NewGuid():N}";
        await using var stack = await SandboxStack.StartAsync(CaptureBenchmark.Stack(users, perConversation, prefix));
        var data = stack.Freshchat.Data;
        var conversations = data.EnumerateConversationIds().ToList();
        var messages = conversations.Sum(id => data.GetMessages(id)!.Count);
        Console.WriteLine($"state-bytes benchmark: {users:N0} users, {conversations.Count:N0} conversations, {messages:N0} messages");

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = connection.GetDatabase();
        var keys = new RedisKeys(prefix);
        var watch = Stopwatch.StartNew();
        var topics = new TopicNames(prefix);
        using (var producer = ProducerProcess.Start(CaptureBenchmark.Settings(stack, redis, prefix, ("Capture:PollInterval", "00:00:01")), "run"))
        {
            // Done when every message is in Kafka and every conversation's state is committed (after the last acknowledgement).
            while ((CaptureBenchmark.CountRecords(stack.Kafka.BootstrapServers, topics, CaptureCatalogue.MessagesTopic) < messages
                    || await db.HashLengthAsync(keys.MessageCursors) < conversations.Count)
                   && !producer.HasExited && watch.Elapsed < BackfillTimeout)
            {
                await Task.Delay(500);
            }

            if (await producer.StopAsync(TimeSpan.FromMinutes(2)) != 0)
            {
                Console.Error.WriteLine(string.Join("\n", producer.Output.TakeLast(20)));
                return 1;
            }
        }

        var folded = await MeasureAsync(db, keys);
        var retired = (await db.HashValuesAsync(keys.MessageCursors)).Count(v => ConversationStateEncoding.Decode((byte[])v!).Retired);
        await LegacyStateLayout.UnfoldAsync(db, keys);
        var compact = await MeasureAsync(db, keys);
        await LegacyStateLayout.DowngradeAsync(db, keys, ["users", "conversations"], stored => stored.PadRight(64, '0'));
        var legacy = await MeasureAsync(db, keys);

        Console.WriteLine($"backfill took {watch.Elapsed.TotalSeconds:N0} s; {retired:N0} of {conversations.Count:N0} conversations retired (resolved and quiet for Capture:Conversations:RetainResolved)");
        Console.WriteLine("| layout | bytes per user | bytes per conversation | all state keys |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(legacy.Row("earlier layout (text ids, 64-hex fingerprints, JSON cursors)", users, conversations.Count));
        Console.WriteLine(compact.Row("state format 2 (compact, fingerprint in its own hash)", users, conversations.Count));
        Console.WriteLine(folded.Row("state format 3 (fingerprint folded into the conversation's state entry)", users, conversations.Count));
        Console.WriteLine($"per conversation, format 3: entry {folded.ConversationStates / (double)conversations.Count:N0} " +
                          $"+ schedule {folded.Schedule / (double)Math.Max(1, conversations.Count - retired):N0} per scheduled conversation ({conversations.Count - retired:N0} scheduled)");
        Console.WriteLine($"per conversation, format 2: fingerprint {compact.ConversationFingerprints / (double)conversations.Count:N0} + state {compact.ConversationStates / (double)conversations.Count:N0} " +
                          $"+ schedule {compact.Schedule / (double)Math.Max(1, conversations.Count - retired):N0} per scheduled conversation ({conversations.Count - retired:N0} scheduled)");
        return 0;
    }

    private static async Task<Footprint> MeasureAsync(IDatabase db, RedisKeys keys)
    {
        async Task<long> Usage(string key) => await db.KeyExistsAsync(key) ? (long)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0") : 0;
        var total = 0L;
        var server = db.Multiplexer.GetServers().First();
        await foreach (var key in server.KeysAsync(db.Database, $"{keys.Prefix}:*"))
        {
            total += await Usage(key!);
        }

        return new Footprint(await Usage(keys.Fingerprints("users")), await Usage(keys.Fingerprints("conversations")), await Usage(keys.MessageCursors),
            await Usage(keys.ConversationSchedule), total);
    }

    private sealed record Footprint(long UserFingerprints, long ConversationFingerprints, long ConversationStates, long Schedule, long Total)
    {
        public string Row(string label, int users, int conversations) =>
            $"| {label} | {UserFingerprints / (double)users:N0} | {(ConversationFingerprints + ConversationStates + Schedule) / (double)Math.Max(1, conversations):N0} | {Total / 1024.0:N0} KiB |";
    }
}
