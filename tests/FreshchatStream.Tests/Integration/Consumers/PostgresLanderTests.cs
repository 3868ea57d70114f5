using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using FreshchatStream.Tests.Integration.Publishing;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>The PostgreSQL lander: the producer's topics land equal to the emulator, replays are idempotent, schemas evolve, crashes converge.</summary>
[Trait("Category", "Integration")]
[Collection(PostgresLanderStackCollection.Name)]
public sealed class PostgresLanderTests(CaptureStackFixture stack, PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Land_ProducerTopics_EqualTheAccountAndReplayAddsNothing()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { ConversationsPerUser = 0.5, MessagesPerConversation = 6, Behaviour = new(), Faults = new() });
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var data = scenario.Freshchat.Data;
        var database = await postgres.CreateDatabaseAsync();
        var group = LanderHarness.NewGroup();

        var landed = await LanderHarness.LandAsync(stack, scenario.Prefix, group, "postgres", "--connection", database);

        Assert.True(landed.ExitCode == 0, landed.Error);
        string before;
        await using (var db = await LanderHarness.OpenPostgresAsync(database))
        {
            Assert.Equal(data.EnumerateUsers().Select(u => (string)u["id"]!).Order(StringComparer.Ordinal),
                (await LanderHarness.ColumnAsync(db, "SELECT id FROM users")).Order(StringComparer.Ordinal));
            Assert.Equal(data.EnumerateConversationIds().Sum(id => data.GetMessages(id)!.Count), await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM messages"));
            Assert.Equal("timestamp with time zone", (await LanderHarness.ColumnAsync(db,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'created_time'"))[0]);
            before = await Checksum(db);
        }

        Assert.Equal(0, (await LanderHarness.ReplayAsync(stack, scenario.Prefix, group)).ExitCode);
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, scenario.Prefix, group, "postgres", "--connection", database)).ExitCode);

        await using (var db = await LanderHarness.OpenPostgresAsync(database))
        {
            Assert.Equal(before, await Checksum(db));
        }
    }

    [Fact]
    public async Task Land_SchemaVersionWithANewField_AddsANullableColumnWithoutLosingRows()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r1","name":"Admin"}"""))).AllDelivered);
        var database = await postgres.CreateDatabaseAsync();
        var group = LanderHarness.NewGroup();
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, harness.Prefix, group, "postgres", "--connection", database, "--topics", "roles")).ExitCode);

        await ProduceWithEvolvedSchemaAsync(harness.Topics.For(CaptureCatalogue.RolesTopic));
        var landed = await LanderHarness.LandAsync(stack, harness.Prefix, group, "postgres", "--connection", database, "--topics", "roles");

        Assert.True(landed.ExitCode == 0, landed.Error);
        await using var db = await LanderHarness.OpenPostgresAsync(database);
        Assert.Equal(["r1:<null>", "r2:night shift"], await LanderHarness.ColumnAsync(db, "SELECT id || ':' || coalesce(team, '<null>') FROM roles ORDER BY id"));
        Assert.Equal(2, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM roles_history"));
    }

    [Fact]
    public async Task Land_KilledMidWay_RestartConvergesToTheSameTables()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { Users = 200, ConversationsPerUser = 1.0, MessagesPerConversation = 10, Behaviour = new(), Faults = new() });
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var clean = await postgres.CreateDatabaseAsync();
        Assert.Equal(0, (await LanderHarness.LandAsync(stack, scenario.Prefix, LanderHarness.NewGroup(), "postgres", "--connection", clean)).ExitCode);
        var crashed = await postgres.CreateDatabaseAsync();
        var group = LanderHarness.NewGroup();

        using (var child = LanderHarness.StartChild(stack, scenario.Prefix, group, "postgres", "--connection", crashed, "--batch-size", "50"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && await MessagesIn(crashed) < 300 && !child.HasExited)
            {
                await Task.Delay(100);
            }

            Assert.False(child.HasExited, $"the lander exited (code {(child.HasExited ? child.ExitCode : 0)}) before it could be killed");
            Assert.True(await MessagesIn(crashed) >= 300, "the lander landed nothing before it was killed");
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        var restarted = await LanderHarness.LandAsync(stack, scenario.Prefix, group, "postgres", "--connection", crashed);

        Assert.True(restarted.ExitCode == 0, restarted.Error);
        await using var cleanDb = await LanderHarness.OpenPostgresAsync(clean);
        await using var crashedDb = await LanderHarness.OpenPostgresAsync(crashed);
        Assert.Equal(await Checksum(cleanDb), await Checksum(crashedDb));
    }

    [Fact]
    public async Task Replay_WhileALanderRuns_RefusesAndAfterSigtermRewinds()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { Behaviour = new(), Faults = new() });
        Assert.Equal(0, (await scenario.RunAsync("run", "--once", "--Capture:Resources=users")).ExitCode);
        var database = await postgres.CreateDatabaseAsync();
        var group = LanderHarness.NewGroup();
        using var lander = LanderHarness.StartChild(stack, scenario.Prefix, group, "postgres", "--connection", database, "--topics", "users");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && await CountIn(database, "users") < 40 && !lander.HasExited)
        {
            await Task.Delay(200);
        }

        Assert.Equal(40, await CountIn(database, "users"));

        var refused = await LanderHarness.ReplayAsync(stack, scenario.Prefix, group, "users");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("active members", refused.Error);

        PosixSignals.Terminate(lander.Id);
        await lander.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, lander.ExitCode);

        var rewound = await LanderHarness.ReplayAsync(stack, scenario.Prefix, group, "users");
        Assert.True(rewound.ExitCode == 0, rewound.Error);
        Assert.Contains("-> 0", rewound.Output);
    }

    private static async Task<long> CountIn(string database, string table)
    {
        try
        {
            await using var db = await LanderHarness.OpenPostgresAsync(database);
            return await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) FROM {table}");
        }
        catch (Npgsql.PostgresException)
        {
            return 0;
        }
    }

    private async Task<long> MessagesIn(string database)
    {
        try
        {
            await using var db = await LanderHarness.OpenPostgresAsync(database);
            return await LanderHarness.ScalarAsync<long>(db, "SELECT count(*) FROM messages");
        }
        catch (Npgsql.PostgresException)
        {
            return 0; // the table does not exist yet
        }
    }

    private async Task ProduceWithEvolvedSchemaAsync(string topic)
    {
        var original = EmbeddedSchemas.Instance.Value(CaptureCatalogue.RolesTopic);
        var json = System.Text.Json.Nodes.JsonNode.Parse(original.ToString())!.AsObject();
        json["fields"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "team", ["type"] = new System.Text.Json.Nodes.JsonArray("null", "string"), ["default"] = null });
        var evolved = (RecordSchema)Avro.Schema.Parse(json.ToJsonString());
        var key = EmbeddedSchemas.Instance.Key(CaptureCatalogue.RolesTopic);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.Registry.Url.ToString() });
        using var producer = new ProducerBuilder<GenericRecord, GenericRecord>(new ProducerConfig { BootstrapServers = stack.Kafka.BootstrapServers })
            .SetKeySerializer(new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Topic }))
            .SetValueSerializer(new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Topic }))
            .Build();
        var keyRecord = new GenericRecord(key);
        keyRecord.Add("id", "r2");
        var value = new GenericRecord(evolved);
        foreach (var field in evolved.Fields)
        {
            value.Add(field.Name, null);
        }

        value.Add("__event_id", "e-r2");
        value.Add("__op", "c");
        value.Add("__deleted", false);
        value.Add("__captured_at", DateTime.UtcNow);
        value.Add("__account", "acme");
        value.Add("__endpoint", "/v2/roles");
        value.Add("id", "r2");
        value.Add("name", "Night");
        value.Add("team", "night shift");
        await producer.ProduceAsync(topic, new Message<GenericRecord, GenericRecord> { Key = keyRecord, Value = value });
    }

    private static async Task<string> Checksum(System.Data.Common.DbConnection db)
    {
        var parts = new List<string>();
        foreach (var table in new[] { "users", "users_history", "conversations", "messages", "agents" })
        {
            var ids = await LanderHarness.ColumnAsync(db, $"SELECT __event_id FROM {table} ORDER BY __event_id");
            parts.Add($"{table}:{ids.Count}:{string.Join(",", ids).GetHashCode(StringComparison.Ordinal)}");
        }

        return string.Join("|", parts);
    }
}
