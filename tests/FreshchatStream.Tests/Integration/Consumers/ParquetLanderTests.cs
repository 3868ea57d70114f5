using FreshchatStream.Consumers.Landing;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Integration.Capture;
using FreshchatStream.Tests.Integration.Publishing;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// The Parquet lander on topics the real producer wrote from the sandbox, checked against the DuckDB lander on the
/// same topics: history read back from the files equals the DuckDB lander's history and event tables, and after
/// <c>compact</c> <c>current/</c> equals its current-state tables — also after a replay and after a SIGKILL. The
/// checked-in recipes (DuckDB's views, the Athena/Trino current-state views) give the same tables over those files.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#22")]
[Collection(ParquetLanderStackCollection.Name)]
public sealed class ParquetLanderTests(CaptureStackFixture stack)
{
    [Fact]
    public async Task Land_ProducerTopics_LakeEqualsTheDuckDbLanderAndAReplayAddsNoCurrentRow()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { ConversationsPerUser = 0.5, MessagesPerConversation = 6, Behaviour = new(), Faults = new() });
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var deleted = (string)scenario.Freshchat.Data.EnumerateUsers().First()["id"]!;
        Assert.True(scenario.Freshchat.Data.DeleteUser(deleted));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode); // a d event and a tombstone on users
        var database = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var root = Path.Combine(Path.GetTempPath(), $"lake-{Guid.NewGuid():N}");
        var group = LanderHarness.NewGroup();
        var duck = await LanderHarness.LandAsync(stack, scenario.Prefix, LanderHarness.NewGroup(), "duckdb", "--database", database);
        Assert.True(duck.ExitCode == 0, duck.Error);

        var landed = await LanderHarness.LandAsync(stack, scenario.Prefix, group, "parquet", "--root", root);

        Assert.True(landed.ExitCode == 0, landed.Error);
        Assert.Contains("0 dead-lettered", landed.Output);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "users_tombstones"), "*.parquet", SearchOption.AllDirectories));
        await ParquetLakeReader.CompactAsync(root);
        var tables = await AssertLakeEqualsAsync(database, root);
        var recipes = await ParquetLakeReader.RecipeDifferencesAsync(database, root);
        Assert.Equal(tables, recipes.Keys.Order(StringComparer.Ordinal));
        Assert.All(recipes, r => Assert.True(r.Value == 0, $"{r.Key}: the recipes' result differs from the DuckDB lander's table by {r.Value} row(s)"));
        Assert.Contains("users", tables);
        Assert.Contains("messages", tables);
        await using (var db = await ParquetLakeReader.OpenViewsAsync(root, LandedTopics.All))
        {
            Assert.Equal(0, await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) FROM users WHERE id = '{deleted}'"));
            Assert.Equal(["c", "d"], await LanderHarness.ColumnAsync(db, $"SELECT __op FROM users_history WHERE id = '{deleted}' ORDER BY __captured_at"));
        }

        var replay = await LanderHarness.ReplayAsync(stack, scenario.Prefix, group);
        Assert.True(replay.ExitCode == 0, replay.Error);
        var again = await LanderHarness.LandAsync(stack, scenario.Prefix, group, "parquet", "--root", root);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("landed 0 record(s)", again.Output);
        await ParquetLakeReader.CompactAsync(root);

        Assert.Equal(tables, await AssertLakeEqualsAsync(database, root));
        await using (var db = await ParquetLakeReader.OpenViewsAsync(root, LandedTopics.All))
        {
            foreach (var resource in LandedTopics.Entities.Where(r => File.Exists(Path.Combine(root, "current", $"{r}.parquet"))))
            {
                Assert.Equal(0, await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) - count(DISTINCT _key) FROM {resource}"));
            }

            // compact folded the replayed parts into each day's one file, one row per event
            Assert.Equal(await LanderHarness.ScalarAsync<long>(db, "SELECT count(*) FROM users_history"),
                await LanderHarness.ScalarAsync<long>(db, $"SELECT count(*) FROM {ParquetLakeReader.Raw(root, "users_history")}"));
        }
    }

    [Fact]
    public async Task Land_ChildKilledMidWay_LeavesNoPartialFileAndRestartConverges()
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
        var root = Path.Combine(Path.GetTempPath(), $"lake-{Guid.NewGuid():N}");
        var group = LanderHarness.NewGroup();

        long committedAtKill;
        using (var child = LanderHarness.StartChild(stack, harness.Prefix, group, "parquet", "--root", root, "--topics", "messages,users", "--batch-size", "20"))
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
            child.Kill(); // SIGKILL: no Close(), no final commit, possibly a COPY or a rename half done
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            committedAtKill = Committed();
        }

        Assert.InRange(committedAtKill, 1, 1199);
        Assert.True(await ParquetLakeReader.AssertEveryPartReadableAsync(root) > 0);
        Assert.All(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(Path.GetFileName),
            name => Assert.True(name!.EndsWith(".parquet", StringComparison.Ordinal) || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal)), name));

        var restarted = await LanderHarness.LandAsync(stack, harness.Prefix, group, "parquet", "--root", root, "--topics", "messages,users");

        Assert.True(restarted.ExitCode == 0, restarted.Error);
        await ParquetLakeReader.AssertEveryPartReadableAsync(root);
        await ParquetLakeReader.CompactAsync(root, "--topics", "messages,users");
        Assert.Equal(["messages", "users", "users_history"], await AssertLakeEqualsAsync(clean, root));
        await using var db = await ParquetLakeReader.OpenViewsAsync(root, ["users"]);
        Assert.Equal(["Second"], await LanderHarness.ColumnAsync(db, "SELECT DISTINCT first_name FROM users"));
    }

    [Fact]
    public async Task Land_UndecodableRecord_GoesToTheDeadLetterFilesAndTheRestLands()
    {
        using var harness = new PublisherHarness(stack.Kafka, stack.Registry.Url);
        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r1","name":"Admin"}"""))).AllDelivered);
        using (var raw = new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = stack.Kafka.BootstrapServers }).Build())
        {
            await raw.ProduceAsync(harness.Topics.For(CaptureCatalogue.RolesTopic), new() { Key = "not avro"u8.ToArray(), Value = "garbage"u8.ToArray() });
        }

        Assert.True((await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.RolesTopic, """{"id":"r2","name":"Agent"}"""))).AllDelivered);
        var root = Path.Combine(Path.GetTempPath(), $"lake-{Guid.NewGuid():N}");

        var landed = await LanderHarness.LandAsync(stack, harness.Prefix, LanderHarness.NewGroup(), "parquet", "--root", root, "--topics", "roles");

        Assert.True(landed.ExitCode == 0, landed.Error);
        Assert.Contains("1 dead-lettered", landed.Output);
        await ParquetLakeReader.CompactAsync(root, "--topics", "roles");
        await using var db = await ParquetLakeReader.OpenViewsAsync(root, ["roles"]);
        Assert.Equal(["r1", "r2"], await LanderHarness.ColumnAsync(db, "SELECT id FROM roles ORDER BY id"));
        var letter = Assert.Single(await LanderHarness.ColumnAsync(db, "SELECT topic || ' ' || reason FROM _dead_letters"));
        Assert.StartsWith($"{harness.Topics.For(CaptureCatalogue.RolesTopic)} the key cannot be decoded", letter);
    }

    /// <summary>Asserts every table of the DuckDB lander's database equals the lake's; returns the tables compared.</summary>
    private static async Task<List<string>> AssertLakeEqualsAsync(string database, string root)
    {
        List<string> tables;
        await using (var db = await LanderHarness.OpenDuckDbAsync(database))
        {
            tables = await LanderHarness.ColumnAsync(db, "SELECT table_name FROM information_schema.tables WHERE table_name <> '_dead_letters' ORDER BY table_name");
        }

        foreach (var table in tables)
        {
            var source = LandedTopics.IsEntity(table) ? ParquetLakeReader.Current(root, table) : ParquetLakeReader.History(root, table);
            Assert.True(await ParquetLakeReader.DifferenceAsync(database, table, source) == 0, $"{table} differs between the DuckDB lander and the lake");
        }

        return tables;
    }
}
