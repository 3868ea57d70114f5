using System.Text.Json.Nodes;
using Avro.Generic;
using Avro.IO;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// A deployment without <c>Accounts</c> keeps the Redis layout and the events of the release before #19, byte for
/// byte. <c>Golden/single-account-release-0eb98ea.json</c> holds what that release (commit 0eb98ea) wrote after one
/// <c>run --once</c> against the sandbox account of <see cref="CaptureScenario.SmallAccount"/>: every Redis key under
/// its prefix and every record of its users topic. Its state, restored under a fresh prefix, is picked up as it is
/// (no re-snapshot, nothing re-published), and a first run of this build publishes the same users records.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class SingleAccountCompatibilityTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    private static readonly JsonNode Golden = JsonNode.Parse(File.ReadAllText(
        RepositoryRoot.Combine("tests", "FreshchatStream.Tests", "Integration", "Accounts", "Golden", "single-account-release-0eb98ea.json")))!;

    [Fact]
    public async Task SingleAccount_ReleaseState_IsPickedUpWithoutResnapshot_AndEventsAreUnchanged()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        // Event ids hash the topic name, so this test writes to the golden's topics (created once per cluster).
        var prefix = (string)Golden["topic_prefix"]!;
        foreach (var topic in new TopicNames(prefix).All())
        {
            stack.Kafka.CreateTopic(topic.Name, CaptureScenario.DefaultPartitions);
        }

        scenario.Settings["Kafka:TopicPrefix"] = prefix;

        // A first run of this build publishes the release's users records: same keys, partitions, fields and headers.
        var first = await scenario.RunAsync("run", "--once");
        Assert.True(first.ExitCode == 0, first.ToString());
        var published = scenario.ReadRaw($"{prefix}.users");
        var golden = Golden["users_records"]!.AsArray();
        Assert.Equal(golden.Count, published.Count);
        var schema = Avro.Schema.Parse(File.ReadAllText(RepositoryRoot.Combine("schemas", CaptureCatalogue.UsersTopic.ValueSchemaFile)));
        foreach (var expected in golden)
        {
            var key = Convert.FromBase64String((string)expected!["key"]!);
            var actual = Assert.Single(published, m => m.Key!.AsSpan(5).SequenceEqual(key.AsSpan(5)));
            var expectedValue = Decode(schema, Convert.FromBase64String((string)expected["value"]!));
            var actualValue = Decode(schema, actual.Value!);
            foreach (var field in schema is Avro.RecordSchema record ? record.Fields : [])
            {
                if (field.Name != "__captured_at")
                {
                    Assert.True(Equals(expectedValue[field.Name], actualValue[field.Name]), $"{field.Name}: {expectedValue[field.Name]} != {actualValue[field.Name]}");
                }
            }

            var headers = actual.Headers.ToDictionary(h => h.Key, h => System.Text.Encoding.UTF8.GetString(h.GetValueBytes()));
            foreach (var (name, value) in expected["headers"]!.AsObject().Where(h => h.Key != "ce_time"))
            {
                Assert.Equal((string)value!, headers[name]);
            }

            Assert.Equal(expected["headers"]!.AsObject().Select(h => h.Key).Order(), headers.Keys.Order());
        }

        // The release's state, restored under a fresh prefix, is this build's state: nothing to publish again.
        var keyPrefix = RedisServerFixture.NewKeyPrefix();
        await RestoreAsync(stack.Redis.Connection.GetDatabase(), keyPrefix);
        scenario.Settings["Redis:KeyPrefix"] = keyPrefix;
        var before = CountEntityRecords(scenario, prefix);

        var second = await scenario.RunAsync("run", "--once");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(before, CountEntityRecords(scenario, prefix));
        var meta = await stack.Redis.Connection.GetDatabase().HashGetAllAsync($"{keyPrefix}:meta");
        Assert.DoesNotContain(meta, e => e.Name == FreshchatStream.Producer.Capture.MetaFields.Resnapshot && e.Value.ToString().Length > 0);
        var restoredUsers = Golden["redis_keys"]!["fp:users"]!["entries"]!.AsObject();
        var users = await stack.Redis.Connection.GetDatabase().HashGetAllAsync($"{keyPrefix}:fp:users");
        // The compact layout (#21) upgrades the release's fingerprints in place: the same entities, each fingerprint a
        // prefix of the release's, so every user still matches and none is published again (checked above).
        var upgraded = users.ToDictionary(e => RedisIdEncoding.Decode(e.Name), e => RedisFingerprintEncoding.Decode(e.Value), StringComparer.Ordinal);
        Assert.Equal(restoredUsers.Select(e => e.Key).Order(StringComparer.Ordinal), upgraded.Keys.Order(StringComparer.Ordinal));
        Assert.All(restoredUsers, e => Assert.StartsWith(upgraded[e.Key], (string)e.Value!, StringComparison.Ordinal));
    }

    /// <summary>High watermarks of every topic but the heartbeat (which gets one record per cycle).</summary>
    private Dictionary<string, long> CountEntityRecords(CaptureScenario scenario, string prefix)
    {
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = stack.Kafka.BootstrapServers, GroupId = MockKafkaFixture.NewGroupId("compat"),
        }).Build();
        return CaptureCatalogue.Topics.Where(r => r != CaptureCatalogue.HeartbeatTopic).ToDictionary(r => r.Resource, r =>
            Enumerable.Range(0, CaptureScenario.DefaultPartitions)
                .Sum(p => consumer.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition($"{prefix}.{r.Resource}", p), TimeSpan.FromSeconds(10)).High.Value));
    }

    private static async Task RestoreAsync(IDatabase redis, string keyPrefix)
    {
        foreach (var (suffix, key) in Golden["redis_keys"]!.AsObject())
        {
            var name = $"{keyPrefix}:{suffix}";
            switch ((string)key!["type"]!)
            {
                case "hash":
                    await redis.HashSetAsync(name, [.. key["entries"]!.AsObject().Select(e => new HashEntry(e.Key, (string)e.Value!))]);
                    break;
                case "zset":
                    await redis.SortedSetAddAsync(name, [.. key["entries"]!.AsObject().Select(e => new SortedSetEntry(e.Key, (double)e.Value!))]);
                    break;
                default:
                    throw new InvalidOperationException($"The golden state holds a {(string)key["type"]!} at {suffix}; the release wrote only hashes and sorted sets.");
            }
        }
    }

    private static GenericRecord Decode(Avro.Schema schema, byte[] wire)
    {
        // Schema Registry wire format: magic byte and a 4-byte schema id (which differs between registries), then Avro binary.
        using var stream = new MemoryStream(wire, 5, wire.Length - 5);
        return new GenericDatumReader<GenericRecord>(schema, schema).Read(null!, new BinaryDecoder(stream));
    }
}
