using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Kafka faults under a running producer: the broker set down mid-batch and brought back, and produce requests
/// failing with retriable broker errors. Nothing is acknowledged while the broker is down (no fingerprint or
/// message cursor moves), and once it is back every change reaches the topics.
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class KafkaFaultTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    private static readonly ErrorCode[] RetriableProduceErrors =
    [
        ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas, ErrorCode.LeaderNotAvailable,
        ErrorCode.NotEnoughReplicasAfterAppend, ErrorCode.NetworkException, ErrorCode.Local_Transport,
    ];

    [Fact]
    public async Task Run_BrokerDownMidBatchAndProduceErrors_AcknowledgesNothingWhileDownAndLosesNothing()
    {
        var rounds = ReliabilityLedger.Soak ? 15 : 3;
        await using var drill = await ReliabilityDrill.StartAsync(stack, seed: 30, ReliabilityDrill.DefaultAccount with { Users = 150, MessagesPerConversation = 20 });
        using var producer = drill.StartProducer();
        await WaitUntilAsync(() => drill.CountPublished(CaptureCatalogue.MessagesTopic) > 0, TimeSpan.FromSeconds(60));
        var injected = 0;
        for (var round = 1; round <= rounds; round++)
        {
            drill.Mutate();
            await Task.Delay(drill.RandomDelay(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(1.5)));
            stack.Kafka.SetBrokerDown(1);
            try
            {
                // Past Kafka:DeliveryTimeout everything in flight has failed; from then on nothing may be acknowledged.
                await Task.Delay(TimeSpan.FromSeconds(6.5));
                var frozen = await AcknowledgedStateAsync(drill);
                drill.Mutate();
                await Task.Delay(TimeSpan.FromSeconds(3));
                AssertUnchanged(frozen, await AcknowledgedStateAsync(drill));
            }
            finally
            {
                stack.Kafka.SetBrokerUp(1);
            }

            Assert.False(producer.HasExited, string.Join("\n", drill.Output.TakeLast(20)));
            stack.Kafka.PushRequestErrors(KafkaApiKey.Produce, RetriableProduceErrors);
            injected += RetriableProduceErrors.Length;
            drill.Mutate();
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var (recovery, audit) = await drill.ConvergeAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(0, await ReliabilityDrill.TerminateAsync(producer));

        Assert.True(audit.Clean, audit.ToString());
        ledger.Record(new ScenarioFigures("Kafka: broker down mid-batch (≥ 9.5 s, past the delivery timeout) and back; retriable produce errors",
            drill.Runs, $"{rounds} broker outages, {injected} produce errors ({string.Join(", ", RetriableProduceErrors.Distinct())})",
            audit.EventsChecked, audit.Lost, audit.Duplicates, recovery));
    }

    /// <summary>
    /// What only an acknowledged batch may change: entity fingerprints and each conversation's message position, one
    /// line per entry. Left out because they legitimately move in cycles that publish nothing: schedule values (due
    /// and poll times, idle counts, <c>updated_time</c> seen), meta and the discovery queue; and the
    /// <see cref="ChangeDetector.Unacknowledged"/> marker, which a failed batch writes for creates Kafka took before
    /// the outage and which the next cycle treats as not captured.
    /// </summary>
    private static async Task<SortedSet<string>> AcknowledgedStateAsync(ReliabilityDrill drill)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(drill.Scenario.Settings["Redis:Configuration"]);
        var db = redis.GetDatabase();
        var prefix = drill.Scenario.KeyPrefix;
        var state = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in redis.GetServers()[0].Keys(pattern: $"{prefix}:fp:*").Select(k => (string)k!).Where(k => !k.EndsWith(":conversation_discovery", StringComparison.Ordinal)))
        {
            foreach (var entry in await db.HashGetAllAsync(key))
            {
                AddFingerprint(state, key, entry.Name!, RedisFingerprintEncoding.Decode(entry.Value));
            }
        }

        foreach (var entry in await db.HashGetAllAsync($"{prefix}:msgcursor"))
        {
            var (fingerprint, _) = ConversationEntryEncoding.Split((byte[])entry.Value!);
            if (fingerprint is not null)
            {
                AddFingerprint(state, "msgcursor fp", entry.Name!, RedisFingerprintEncoding.Decode(fingerprint));
            }
        }

        // A position before any message (a conversation just scheduled) acknowledges nothing.
        foreach (var (name, position) in drill.Scenario.ReadCursors().Where(c => c.Key.StartsWith("msgcursor/", StringComparison.Ordinal)))
        {
            if (position.HighWaterMark is not null || position.IdsAtHighWaterMark.Count > 0)
            {
                state.Add($"{name} position={position.HighWaterMark:O} [{string.Join(",", position.IdsAtHighWaterMark)}]");
            }
        }

        return state;
    }

    private static void AddFingerprint(SortedSet<string> state, string key, string id, string fingerprint)
    {
        if (fingerprint != ChangeDetector.Unacknowledged)
        {
            state.Add($"{key} {id}={fingerprint}");
        }
    }

    private static void AssertUnchanged(SortedSet<string> frozen, SortedSet<string> now)
    {
        Assert.Contains(frozen, line => line.StartsWith("msgcursor/", StringComparison.Ordinal)); // the check sees the state it guards
        var gone = frozen.Except(now, StringComparer.Ordinal).Take(10).ToList();
        var added = now.Except(frozen, StringComparer.Ordinal).Take(10).ToList();
        Assert.True(gone.Count == 0 && added.Count == 0,
            $"acknowledged state moved while the broker was down:\n- {string.Join("\n- ", gone)}\n+ {string.Join("\n+ ", added)}");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }
}
