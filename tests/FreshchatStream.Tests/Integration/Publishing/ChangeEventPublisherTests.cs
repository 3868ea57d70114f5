using System.Text;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;
using Microsoft.Extensions.DependencyInjection;

namespace FreshchatStream.Tests.Integration.Publishing;

[Trait("Category", "Integration")]
[Collection(MockKafkaCollection.Name)]
public sealed class ChangeEventPublisherTests(MockKafkaFixture kafka, SchemaRegistryEmulatorFixture registry) : IClassFixture<SchemaRegistryEmulatorFixture>
{
    [Fact]
    public async Task CompleteAsync_BatchOfEvents_ReadBackWithKeysPartitionsHeadersAndValues()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url);
        var user1 = PublisherHarness.Entity(CaptureCatalogue.UsersTopic, """{"id":"u1","email":"a@b.c","created_time":"2025-07-01T10:00:00.000Z","properties":[{"name":"plan","value":"Pro"}]}""");
        var user2 = PublisherHarness.Entity(CaptureCatalogue.UsersTopic, """{"id":"u2","updated_time":"2025-07-02T10:00:00.000Z"}""", ChangeOp.Update);
        var messages = new[] { ("conv-a", "m1"), ("conv-b", "m2"), ("conv-a", "m3"), ("conv-c", "m4") }
            .Select((m, i) => PublisherHarness.Entity(CaptureCatalogue.MessagesTopic,
                $$$"""{"id":"{{{m.Item2}}}","conversation_id":"{{{m.Item1}}}","created_time":"2025-07-01T10:00:0{{{i}}}.000Z","message_parts":[{"text":{"content":"hi {{{i}}}"}}]}"""))
            .ToArray();

        var outcome = await harness.PublishAsync([user1, user2, .. messages]);

        Assert.True(outcome.AllDelivered, string.Join("; ", outcome.Failures));
        Assert.Equal(6, outcome.Delivered);
        Assert.Contains($"{harness.Prefix}.users-value", registry.Emulator.Subjects);
        Assert.Contains($"{harness.Prefix}.messages-key", registry.Emulator.Subjects);

        var users = harness.ReadAvro(harness.Topics.For(CaptureCatalogue.UsersTopic), expected: 2).OrderBy(r => (string)r.Message.Key["id"]).ToList();
        Assert.Equal(["u1", "u2"], users.Select(r => (string)r.Message.Key["id"]));
        var first = users[0].Message;
        Assert.Equal("c", first.Value["__op"]);
        Assert.Equal(false, first.Value["__deleted"]);
        Assert.Equal("a@b.c", first.Value["email"]);
        Assert.Equal(new DateTime(2025, 7, 1, 10, 0, 0, DateTimeKind.Utc), first.Value["created_time"]);
        Assert.Equal("""[{"name":"plan","value":"Pro"}]""", first.Value["properties"]);
        Assert.Equal(user1.EventId(harness.Topics.For(CaptureCatalogue.UsersTopic)), first.Value["__event_id"]);
        Assert.Equal(first.Value["__event_id"], PublisherHarness.Header(first.Headers, "ce_id"));
        Assert.Equal("1.0", PublisherHarness.Header(first.Headers, "ce_specversion"));
        Assert.Equal("freshchat.user.created", PublisherHarness.Header(first.Headers, "ce_type"));
        Assert.Equal("freshchat.user.updated", PublisherHarness.Header(users[1].Message.Headers, "ce_type"));
        Assert.Equal("freshchat-stream/acme", PublisherHarness.Header(first.Headers, "ce_source"));
        Assert.Equal("2025-07-04T08:00:00.123Z", PublisherHarness.Header(first.Headers, "ce_time"));

        var read = harness.ReadAvro(harness.Topics.For(CaptureCatalogue.MessagesTopic), expected: 4);
        Assert.Equal(4, read.Count);
        foreach (var record in read)
        {
            var conversation = (string)record.Message.Key["conversation_id"];
            Assert.Equal(conversation, record.Message.Value["conversation_id"]);
            Assert.Equal(KafkaMurmur2.Partition(conversation, harness.Partitions), record.Partition.Value);
        }

        var conversationA = read.Where(r => (string)r.Message.Key["conversation_id"] == "conv-a").OrderBy(r => r.Offset.Value).Select(r => (string)r.Message.Key["id"]);
        Assert.Equal(["m1", "m3"], conversationA);
    }

    [Fact]
    public async Task CompleteAsync_DeleteOnCompactedTopic_IsFollowedByATombstone()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url);
        var topic = harness.Topics.For(CaptureCatalogue.AgentsTopic);
        var deleted = ChangeEvent.Deleted(CaptureCatalogue.AgentsTopic, new ChangeEventKey("a1"), PublisherHarness.CapturedAt, "acme", "/v2/agents/a1");

        var outcome = await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.AgentsTopic, """{"id":"a1","email":"x@y.z"}"""), deleted);

        Assert.True(outcome.AllDelivered, string.Join("; ", outcome.Failures));
        Assert.Equal(1, outcome.Tombstones);
        var records = harness.ReadAvro(topic, expected: 3).OrderBy(r => r.Offset.Value).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal("a1", r.Message.Key["id"]));
        Assert.Equal("d", records[1].Message.Value["__op"]);
        Assert.Equal(true, records[1].Message.Value["__deleted"]);
        Assert.Null(records[1].Message.Value["raw_json"]);
        Assert.Null(records[1].Message.Value["email"]);
        Assert.Equal("freshchat.agent.deleted", PublisherHarness.Header(records[1].Message.Headers, "ce_type"));
        Assert.Null(records[2].Message.Value);
        Assert.Single(records.Select(r => r.Partition.Value).Distinct());
    }

    [Fact]
    public async Task CompleteAsync_DeleteOnAppendOnlyTopic_HasNoTombstone()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url);
        var deleted = ChangeEvent.Deleted(CaptureCatalogue.MessagesTopic, new ChangeEventKey("m1", "c1"), PublisherHarness.CapturedAt, "acme", "/v2/conversations/c1/messages");

        var outcome = await harness.PublishAsync(deleted);

        Assert.True(outcome.AllDelivered);
        Assert.Equal(0, outcome.Tombstones);
        Assert.Single(harness.ReadRaw(harness.Topics.For(CaptureCatalogue.MessagesTopic), expected: 1));
    }

    [Fact]
    public async Task CompleteAsync_UnserializableRecord_IsDeadLetteredAndTheBatchStillCompletes()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url);
        const string bad = """{"id":"a2","agent_capacity":"abc"}""";

        var outcome = await harness.PublishAsync(
            PublisherHarness.Entity(CaptureCatalogue.AgentsTopic, """{"id":"a1","agent_capacity":4}"""),
            PublisherHarness.Entity(CaptureCatalogue.AgentsTopic, bad));

        Assert.True(outcome.AllDelivered, string.Join("; ", outcome.Failures));
        Assert.Equal(1, outcome.Delivered);
        Assert.Equal(1, outcome.DeadLettered);
        var dead = Assert.Single(harness.ReadRaw(harness.Topics.DeadLetter, expected: 1));
        Assert.Equal(bad, Encoding.UTF8.GetString(dead.Message.Value));
        Assert.Equal("""{"id":"a2"}""", Encoding.UTF8.GetString(dead.Message.Key));
        Assert.Contains("agent_capacity", PublisherHarness.Header(dead.Message.Headers, DeadLetterPublisher.ReasonHeader));
        Assert.Equal(harness.Topics.For(CaptureCatalogue.AgentsTopic), PublisherHarness.Header(dead.Message.Headers, DeadLetterPublisher.TopicHeader));
        Assert.Equal(typeof(AvroMappingException).FullName, PublisherHarness.Header(dead.Message.Headers, DeadLetterPublisher.ExceptionHeader));
        Assert.Single(harness.ReadRaw(harness.Topics.For(CaptureCatalogue.AgentsTopic), expected: 1));
    }

    [Fact]
    public async Task CompleteAsync_SameVersionPublishedTwice_CarriesTheSameEventId()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url);
        const string role = """{"id":"r1","name":"Admin"}""";

        await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, role));
        await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, role, ChangeOp.Snapshot));

        var records = harness.ReadAvro(harness.Topics.For(CaptureCatalogue.RolesTopic), expected: 2);
        Assert.Equal(2, records.Count);
        Assert.Single(records.Select(r => (string)r.Message.Value["__event_id"]).Distinct());
        Assert.Equal(["c", "r"], records.OrderBy(r => r.Offset.Value).Select(r => (string)r.Message.Value["__op"]));
    }

    [Fact]
    public async Task Murmur2_MessagePartition_MatchesLibrdkafkaJavaCompatiblePartitioner()
    {
        // librdkafka's "murmur2" partitioner is documented as Java-compatible: hashing the plain UTF-8 id must
        // land where KafkaMurmur2 places the Avro-keyed message.
        var topic = kafka.CreateTopic("murmur", partitions: 7);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Partitioner = Partitioner.Murmur2,
            LingerMs = 1,
        }).Build();

        foreach (var id in new[] { "21", "foobar", "3f2c9a1e-5b7d-4c1e-9a0b-1c2d3e4f5a6b", "conv-a", "é日本" })
        {
            var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = id, Value = "x" }).WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(KafkaMurmur2.Partition(id, 7), result.Partition.Value);
        }
    }

    /// <summary>
    /// Message placement reads partition counts through an admin client on the producer's handle, whose own thread
    /// polls a queue of that handle. Left undisposed, that thread went on polling after the host destroyed the
    /// producer — a use-after-free that crashed the test host (a segfault in librdkafka). The host disposes it first.
    /// </summary>
    [Fact]
    public async Task HostDisposed_AfterMessagesWerePlaced_DisposesThePartitionCountsAdminClientWithIt()
    {
        var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url);
        var counts = harness.Services.GetRequiredService<TopicPartitionCounts>();
        var topic = harness.Topics.For(CaptureCatalogue.MessagesTopic);
        var message = PublisherHarness.Entity(CaptureCatalogue.MessagesTopic,
            """{"id":"m1","conversation_id":"conv-a","created_time":"2025-07-01T10:00:00.000Z","message_parts":[{"text":{"content":"hi"}}]}""");
        Assert.Equal(1, (await harness.PublishAsync(message)).Delivered);
        Assert.Equal(harness.Partitions, counts.Get(topic));

        harness.Dispose();

        // Refused by the partition counts themselves (not by the disposed producer under them): they were disposed.
        var refused = Assert.Throws<ObjectDisposedException>(() => counts.Get($"{topic}-not-cached"));
        Assert.Equal(typeof(TopicPartitionCounts).FullName, refused.ObjectName);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // an undisposed admin client's poll thread would now read a freed queue
    }
}

[Trait("Category", "Integration")]
public sealed class ChangeEventPublisherOutageTests(SchemaRegistryEmulatorFixture registry) : IClassFixture<SchemaRegistryEmulatorFixture>
{
    [Fact]
    public async Task CompleteAsync_EveryBrokerDown_FailsAndReportsNothingDelivered()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        using var harness = new PublisherHarness(cluster, registry.Emulator.Url, deliveryTimeout: TimeSpan.FromSeconds(3));
        await harness.Publisher.InitializeAsync();
        cluster.SetBrokerDown(1);

        var started = DateTime.UtcNow;
        var outcome = await harness.PublishAsync(
            PublisherHarness.Entity(CaptureCatalogue.UsersTopic, """{"id":"u1"}"""),
            PublisherHarness.Entity(CaptureCatalogue.GroupsTopic, """{"id":"g1","name":"Billing"}"""));

        Assert.False(outcome.AllDelivered);
        Assert.Equal(0, outcome.Delivered);
        Assert.NotEmpty(outcome.Failures);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        cluster.SetBrokerUp(1);
    }

    [Fact]
    public async Task CaptureBatch_FirstVersionPersistedInAFailedBatch_IsRememberedSoItsDeletionIsSeen()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        using var harness = new PublisherHarness(cluster, registry.Emulator.Url, deliveryTimeout: TimeSpan.FromSeconds(2));
        await harness.Publisher.InitializeAsync();
        var store = new InMemoryCursorStore();
        var batch = new FreshchatStream.Producer.Capture.CaptureBatch(harness.Publisher, store, batchSize: 100) { ScannedForDeletions = ["users"] };
        var u1 = PublisherHarness.Entity(CaptureCatalogue.UsersTopic, """{"id":"u1","first_name":"Ada"}""");

        // u1 reaches Kafka; then the broker goes down and u2 (and the staged state) cannot be acknowledged.
        await batch.AddAsync(u1, CancellationToken.None);
        batch.State.SetFingerprint("users", "u1", u1.Fingerprint!).SetCursor("users", ResourceCursor.Initial());
        Assert.Single(harness.ReadRaw(harness.Topics.For(CaptureCatalogue.UsersTopic), 1));
        cluster.SetBrokerDown(1);
        await batch.AddAsync(PublisherHarness.Entity(CaptureCatalogue.UsersTopic, """{"id":"u2"}"""), CancellationToken.None);
        batch.State.SetFingerprint("users", "u2", "f2");
        var failed = await Assert.ThrowsAsync<FreshchatStream.Producer.Capture.DeliveryIncompleteException>(() => batch.FlushAsync(CancellationToken.None));
        cluster.SetBrokerUp(1);

        Assert.Equal(1, failed.Outcome.Delivered);
        Assert.Empty(await store.LoadCursorsAsync()); // nothing acknowledged: the cursor did not move
        var stored = await store.GetFingerprintsAsync("users", ["u1", "u2"]);
        Assert.Equal(FreshchatStream.Producer.Capture.ChangeDetector.Unacknowledged, stored["u1"]); // known to the deletion scan
        Assert.False(stored.ContainsKey("u2"));
        var next = FreshchatStream.Producer.Capture.ChangeDetector.Decide(u1.Entity!.Value, stored["u1"], FreshchatStream.Producer.Capture.CaptureMode.Changes);
        Assert.Equal(ChangeOp.Create, next.Op); // and published again, as the create it was, if it still exists
        Assert.Equal(u1.Fingerprint, next.Fingerprint);
    }

    [Fact]
    public async Task EnsureTopicsAsync_MockClusterAdminApi_FinishesWithinTheBoundAndCarriesOn()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 1);
        using var harness = new PublisherHarness(cluster, registry.Emulator.Url, createTopics: false);
        var options = Microsoft.Extensions.Options.Options.Create(new KafkaOptions
        {
            BootstrapServers = cluster.BootstrapServers,
            TopicPrefix = harness.Prefix,
            AdminTimeout = TimeSpan.FromSeconds(1),
        });
        using var connection = new KafkaConnection(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<KafkaConnection>.Instance);
        var provisioner = new KafkaTopicProvisioner(connection, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<KafkaTopicProvisioner>.Instance);

        var started = DateTime.UtcNow;
        var result = await provisioner.EnsureTopicsAsync(harness.Topics.All()).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        Assert.Empty(result.PolicyMismatches);
        // The mock answers metadata but never CreateTopics: provisioning reports that and lets capture carry on.
        Assert.False(result.AdminApiAnswered);
        Assert.Empty(result.Created);
    }
}
