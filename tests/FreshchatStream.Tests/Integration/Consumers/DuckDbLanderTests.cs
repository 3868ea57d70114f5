using System.Text.Json.Nodes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Integration.Capture;
using FreshchatStream.Tests.Integration.Publishing;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>The DuckDB lander on topics the real producer wrote from the sandbox: current state equals the emulator, replays change nothing.</summary>
[Trait("Category", "Integration")]
[Collection(DuckDbLanderStackCollection.Name)]
public sealed class DuckDbLanderTests(CaptureStackFixture stack)
{
    private static async Task<CaptureScenario> CapturedAsync(CaptureStackFixture stack)
    {
        var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { ConversationsPerUser = 0.5, MessagesPerConversation = 6, Behaviour = new(), Faults = new() });
        var run = await scenario.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.ToString());
        return scenario;
    }

    [Fact]
    public async Task Land_ProducerTopics_CurrentTablesEqualTheAccountAndReplayChangesNothing()
    {
        await using var scenario = await CapturedAsync(stack);
        var data = scenario.Freshchat.Data;
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var group = LanderHarness.NewGroup();

        var landed = await LanderHarness.LandAsync(stack, scenario.Prefix, group, "duckdb", "--database", path);

        Assert.True(landed.ExitCode == 0, landed.Error);
        string checksum;
        await using (var db = await LanderHarness.OpenDuckDbAsync(path))
        {
            var users = await LanderHarness.ColumnAsync(db, "SELECT id FROM users ORDER BY id");
            Assert.Equal(data.EnumerateUsers().Select(u => (string)u["id"]!).Order(StringComparer.Ordinal), users.Order(StringComparer.Ordinal));
            var emails = await LanderHarness.ColumnAsync(db, "SELECT coalesce(email, '<null>') FROM users ORDER BY id");
            Assert.Equal(data.EnumerateUsers().OrderBy(u => (string)u["id"]!, StringComparer.Ordinal).Select(u => (string?)u["email"] ?? "<null>"), emails);
            Assert.Equal(data.GetAgents().Count, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM agents"));
            Assert.Equal(data.EnumerateConversationIds().Count(), await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM conversations"));
            var messages = data.EnumerateConversationIds().Sum(id => data.GetMessages(id)!.Count);
            Assert.Equal(messages, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM messages"));
            Assert.Equal(data.GetAgents().Count, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM agent_availability"));
            var raw = await LanderHarness.ColumnAsync(db, "SELECT raw_json FROM groups ORDER BY id LIMIT 1");
            Assert.NotNull(JsonNode.Parse(raw[0])!["id"]);
            checksum = await Checksum(db);
        }

        var replay = await ReplayAsync(scenario.Prefix, group);
        Assert.True(replay.ExitCode == 0, replay.Error);
        var again = await LanderHarness.LandAsync(stack, scenario.Prefix, group, "duckdb", "--database", path);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("landed", again.Output);
        await using (var db = await LanderHarness.OpenDuckDbAsync(path))
        {
            Assert.Equal(checksum, await Checksum(db));
        }
    }

    [Fact]
    public async Task Land_DeletedUser_LeavesTheCurrentTableAndStaysInHistory()
    {
        await using var scenario = await CapturedAsync(stack);
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var group = LanderHarness.NewGroup();
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, scenario.Prefix, group, "duckdb", "--database", path)).ExitCode);
        var user = (string)scenario.Freshchat.Data.EnumerateUsers().First()["id"]!;
        Assert.True(scenario.Freshchat.Data.DeleteUser(user));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        Assert.Equal(0, (await LanderHarness.LandAsync(stack, scenario.Prefix, group, "duckdb", "--database", path)).ExitCode);

        await using var db = await LanderHarness.OpenDuckDbAsync(path);
        Assert.Equal(0, await LanderHarness.ScalarAsync<int>(db, $"SELECT count(*) FROM users WHERE id = '{user}'"));
        Assert.Equal(["c", "d"], await LanderHarness.ColumnAsync(db, $"SELECT __op FROM users_history WHERE id = '{user}' ORDER BY __captured_at"));
        Assert.Equal(scenario.Freshchat.Data.EnumerateUsers().Count(), await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Land_OlderEventAfterANewerOne_KeepsTheNewerState()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        var newer = ChangeEvent.ForEntity(CaptureCatalogue.GroupsTopic, ChangeOp.Update, System.Text.Json.JsonDocument.Parse("""{"id":"g1","name":"New name"}""").RootElement,
            PublisherHarness.CapturedAt.AddMinutes(5), "acme", "/v2/groups");
        var older = ChangeEvent.ForEntity(CaptureCatalogue.GroupsTopic, ChangeOp.Create, System.Text.Json.JsonDocument.Parse("""{"id":"g1","name":"Old name"}""").RootElement,
            PublisherHarness.CapturedAt, "acme", "/v2/groups");
        Assert.True((await harness.PublishAsync(newer)).AllDelivered);
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var group = LanderHarness.NewGroup();
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, harness.Prefix, group, "duckdb", "--database", path, "--topics", "groups")).ExitCode);

        Assert.True((await harness.PublishAsync(older)).AllDelivered);
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, harness.Prefix, group, "duckdb", "--database", path, "--topics", "groups")).ExitCode);

        await using var db = await LanderHarness.OpenDuckDbAsync(path);
        Assert.Equal(["New name"], await LanderHarness.ColumnAsync(db, "SELECT name FROM groups"));
        Assert.Equal(2, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM groups_history"));
    }

    [Fact]
    public async Task Land_UndecodableRecord_GoesToTheDeadLetterTableAndTheRestLands()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r1","name":"Admin"}"""))).AllDelivered);
        using (var raw = new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = stack.Kafka.BootstrapServers }).Build())
        {
            await raw.ProduceAsync(harness.Topics.For(CaptureCatalogue.RolesTopic), new() { Key = "not avro"u8.ToArray(), Value = "garbage"u8.ToArray() });
        }

        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r2","name":"Agent"}"""))).AllDelivered);
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");

        var landed = await LanderHarness.LandAsync(stack, harness.Prefix, LanderHarness.NewGroup(), "duckdb", "--database", path, "--topics", "roles");

        Assert.True(landed.ExitCode == 0, landed.Error);
        await using var db = await LanderHarness.OpenDuckDbAsync(path);
        Assert.Equal(["r1", "r2"], await LanderHarness.ColumnAsync(db, "SELECT id FROM roles ORDER BY id"));
        var reasons = await LanderHarness.ColumnAsync(db, "SELECT reason FROM _dead_letters");
        Assert.Contains("cannot be decoded", Assert.Single(reasons));
    }

    [Fact]
    public async Task Land_RecordWhoseTypesTheTableRejects_GoesToTheDeadLetterTableAndTheRestLands()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        var topic = harness.Topics.For(CaptureCatalogue.RolesTopic);
        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r1","name":"Admin"}"""))).AllDelivered);
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var group = LanderHarness.NewGroup();
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, harness.Prefix, group, "duckdb", "--database", path, "--topics", "roles")).ExitCode);
        await ProduceWithForeignSchemaAsync(topic, "r2");
        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r3","name":"Agent"}"""))).AllDelivered);

        var landed = await LanderHarness.LandAsync(stack, harness.Prefix, group, "duckdb", "--database", path, "--topics", "roles");

        Assert.True(landed.ExitCode == 0, landed.Error);
        Assert.Contains("1 dead-lettered", landed.Output);
        await using var db = await LanderHarness.OpenDuckDbAsync(path);
        Assert.Equal(["r1", "r3"], await LanderHarness.ColumnAsync(db, "SELECT id FROM roles ORDER BY id"));
        var letter = Assert.Single(await LanderHarness.ColumnAsync(db, "SELECT key || ' ' || topic || ' ' || reason FROM _dead_letters"));
        Assert.StartsWith($$"""{"id":"r2"} {{topic}} rejected by the database""", letter);
    }

    [Fact]
    public async Task Land_AllTopicsWhileSomeDoNotExistYet_LandsTheOnesThatDo()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url, createTopics: false);
        stack.Kafka.CreateTopic(harness.Topics.For(CaptureCatalogue.GroupsTopic), 3);
        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.GroupsTopic, """{"id":"g1","name":"Support"}"""))).AllDelivered);
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");

        var landed = await LanderHarness.LandAsync(stack, harness.Prefix, LanderHarness.NewGroup(), "duckdb", "--database", path);

        Assert.True(landed.ExitCode == 0, landed.Error);
        await using var db = await LanderHarness.OpenDuckDbAsync(path);
        Assert.Equal(["g1"], await LanderHarness.ColumnAsync(db, "SELECT id FROM groups"));
    }

    [Fact]
    public async Task Replay_ToATimeAfterTheLastEvent_MovesTheGroupToTheEndSoNothingLandsAgain()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        Assert.True((await harness.PublishAsync(
            PublisherHarness.Entity(CaptureCatalogue.ChannelsTopic, """{"id":"ch1","name":"Web"}"""),
            PublisherHarness.Entity(CaptureCatalogue.ChannelsTopic, """{"id":"ch2","name":"App"}"""))).AllDelivered);
        var group = LanderHarness.NewGroup();

        var replay = await LanderHarness.ReplayAsync(stack, harness.Prefix, group, "channels", "--to-datetime", DateTimeOffset.UtcNow.AddHours(1).ToString("O"));

        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Contains("rewound on 3 partition(s)", replay.Output);
        var path = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var landed = await LanderHarness.LandAsync(stack, harness.Prefix, group, "duckdb", "--database", path, "--topics", "channels");
        Assert.True(landed.ExitCode == 0, landed.Error);
        Assert.Contains("landed 0 record(s)", landed.Output);
    }

    [Fact]
    public async Task Land_ChildKilledMidWay_RestartConvergesToTheSameTables()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        var messages = Enumerable.Range(0, 1200).Select(i => PublisherHarness.Entity(CaptureCatalogue.MessagesTopic,
            $$"""{"id":"m{{i}}","conversation_id":"c{{i % 40}}","message_type":"normal","created_time":"2025-07-04T08:{{i % 60:00}}:00.000Z"}"""));
        var users = Enumerable.Range(0, 100).SelectMany(i => new[]
        {
            PublisherHarness.Entity(CaptureCatalogue.UsersTopic, $$"""{"id":"u{{i}}","first_name":"First"}"""),
            ChangeEvent.ForEntity(CaptureCatalogue.UsersTopic, ChangeOp.Update, System.Text.Json.JsonDocument.Parse($$"""{"id":"u{{i}}","first_name":"Second"}""").RootElement,
                PublisherHarness.CapturedAt.AddMinutes(1), "acme", "/v2/users"),
        });
        Assert.True((await harness.PublishAsync([.. messages, .. users])).AllDelivered);
        var clean = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, harness.Prefix, LanderHarness.NewGroup(), "duckdb", "--database", clean, "--topics", "messages,users")).ExitCode);
        var crashed = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var group = LanderHarness.NewGroup();

        long committedAtKill;
        using (var child = LanderHarness.StartChild(stack, harness.Prefix, group, "duckdb", "--database", crashed, "--topics", "messages,users", "--batch-size", "20"))
        using (var offsets = new Confluent.Kafka.ConsumerBuilder<Confluent.Kafka.Ignore, Confluent.Kafka.Ignore>(
                   new Confluent.Kafka.ConsumerConfig { BootstrapServers = stack.Kafka.BootstrapServers, GroupId = group }).Build())
        {
            var partitions = Enumerable.Range(0, harness.Partitions).Select(p => new Confluent.Kafka.TopicPartition(harness.Topics.For(CaptureCatalogue.MessagesTopic), p)).ToList();
            long Committed() => offsets.Committed(partitions, TimeSpan.FromSeconds(5)).Sum(o => Math.Max(0, o.Offset.Value));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && Committed() == 0 && !child.HasExited)
            {
                await Task.Delay(20);
            }

            Assert.False(child.HasExited, $"the lander exited (code {(child.HasExited ? child.ExitCode : 0)}) before it could be killed");
            child.Kill(); // SIGKILL: no Close(), no final commit, the DuckDB file left with whatever its WAL holds
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            committedAtKill = Committed();
        }

        Assert.InRange(committedAtKill, 1, 1199);

        var restarted = await LanderHarness.LandAsync(stack, harness.Prefix, group, "duckdb", "--database", crashed, "--topics", "messages,users");

        Assert.True(restarted.ExitCode == 0, restarted.Error);
        string expected;
        await using (var db = await LanderHarness.OpenDuckDbAsync(clean))
        {
            expected = await Checksum(db, "messages", "users", "users_history");
        }

        await using (var db = await LanderHarness.OpenDuckDbAsync(crashed))
        {
            Assert.Equal(expected, await Checksum(db, "messages", "users", "users_history"));
            Assert.Equal(["Second"], await LanderHarness.ColumnAsync(db, "SELECT DISTINCT first_name FROM users"));
        }
    }

    /// <summary>
    /// A record of the roles topic whose value schema (registered under another subject, so the registry's
    /// compatibility check never saw it) makes <c>__captured_at</c> a string — a column the table holds as a timestamp.
    /// </summary>
    private async Task ProduceWithForeignSchemaAsync(string topic, string id)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(EmbeddedSchemas.Instance.Value(CaptureCatalogue.RolesTopic).ToString())!.AsObject();
        json["fields"]!.AsArray().First(f => (string)f!["name"]! == "__captured_at")!["type"] = "string";
        var foreign = (Avro.RecordSchema)Avro.Schema.Parse(json.ToJsonString());
        using var registry = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = stack.Registry.Url.ToString() });
        var serializer = new Confluent.SchemaRegistry.Serdes.AvroSerializer<Avro.Generic.GenericRecord>(registry,
            new Confluent.SchemaRegistry.Serdes.AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = Confluent.SchemaRegistry.SubjectNameStrategy.Topic });
        var key = new Avro.Generic.GenericRecord(EmbeddedSchemas.Instance.Key(CaptureCatalogue.RolesTopic));
        key.Add("id", id);
        var value = new Avro.Generic.GenericRecord(foreign);
        foreach (var field in foreign.Fields)
        {
            value.Add(field.Name, null);
        }

        value.Add("__event_id", $"foreign-{id}");
        value.Add("__op", "c");
        value.Add("__deleted", false);
        value.Add("__captured_at", "yesterday");
        value.Add("__account", "acme");
        value.Add("__endpoint", "/v2/roles");
        value.Add("id", id);
        var keyBytes = await serializer.SerializeAsync(key, new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Key, topic));
        var valueBytes = await serializer.SerializeAsync(value, new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, $"{topic}-foreign"));
        using var raw = new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = stack.Kafka.BootstrapServers }).Build();
        await raw.ProduceAsync(topic, new() { Key = keyBytes, Value = valueBytes });
    }

    private Task<(int ExitCode, string Output, string Error)> ReplayAsync(string prefix, string group) => LanderHarness.ReplayAsync(stack, prefix, group);

    private static Task<string> Checksum(System.Data.Common.DbConnection db) =>
        Checksum(db, "users", "users_history", "agents", "conversations", "messages", "agent_availability", "groups");

    private static async Task<string> Checksum(System.Data.Common.DbConnection db, params string[] tables)
    {
        var parts = new List<string>();
        foreach (var table in tables)
        {
            parts.Add($"{table}:{await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) FROM {table}")}:" +
                      string.Join(",", await LanderHarness.ColumnAsync(db, $"SELECT __event_id FROM {table} ORDER BY __event_id")).GetHashCode(StringComparison.Ordinal));
        }

        return string.Join("|", parts);
    }
}
