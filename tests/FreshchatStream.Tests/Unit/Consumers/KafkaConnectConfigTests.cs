using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Unit.Deployment;

namespace FreshchatStream.Tests.Unit.Consumers;

/// <summary>
/// Checks every sink config in consumers/kafka-connect against the rules the connectors enforce when a config is
/// submitted (kafka-connect-bigquery's validators, the Snowflake connector's required keys) and against the
/// producer's own topic catalogue, so a config that Connect would refuse, or a topic no sink lands, fails in CI.
/// </summary>
[Trait("Issue", "#20")]
public sealed class KafkaConnectConfigTests
{
    private const string SnowflakeClass = "com.snowflake.kafka.connector.SnowflakeSinkConnector";
    private const string BigQueryClass = "com.wepay.kafka.connect.bigquery.BigQuerySinkConnector";
    private const string S3Class = "io.confluent.connect.s3.S3SinkConnector";

    private static readonly string Folder = RepositoryRoot.Combine("consumers", "kafka-connect");

    // Every topic the producer writes, with its policy. The dead-letter topic holds raw JSON, not Avro, so the
    // Avro sinks cannot read it; operators inspect it with a plain consumer (docs/operations.md).
    private static readonly IReadOnlyList<TopicSpec> AvroTopics =
        [.. new TopicNames("freshchat").All().Where(t => t.Name != new TopicNames("freshchat").DeadLetter)];

    private static readonly IReadOnlyList<string> FileNames =
        [.. Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Files() => new(FileNames);

    // Warehouse sinks map each topic to a table; the S3 sink writes one folder per topic instead (S3SinkConfigTests).
    public static TheoryData<string> WarehouseFiles() => new(FileNames.Where(f => Value(Config(f), "connector.class") != S3Class));

    private static JsonObject Config(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!.AsObject();

    private static IEnumerable<JsonObject> Configs() => FileNames.Select(Config);

    private static string? Value(JsonObject config, string key) => (string?)config[key];

    private static bool Flag(JsonObject config, string key, bool defaultValue) =>
        Value(config, key) is { } value ? bool.Parse(value) : defaultValue;

    private static string[] Topics(JsonObject config) => Value(config, "topics")!.Split(',');

    private static Dictionary<string, string> TableMap(JsonObject config) =>
        Value(config, Value(config, "connector.class") == SnowflakeClass ? "snowflake.topic2table.map" : "topic2TableMap")!
            .Split(',').Select(pair => pair.Split(':')).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void Folder_HoldsASnowflakeBothBigQueryAndAnS3Sink()
    {
        Assert.Equal(["bigquery-history-sink.json", "bigquery-sink.json", "s3-sink.json", "snowflake-sink.json"], FileNames);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Sink_IsAFlatConfigNamedForThePutEndpoint(string file)
    {
        // PUT /connectors/{name}/config takes the config object itself; submit-connectors.sh reads "name" from it.
        var config = Config(file);

        Assert.All(config, pair => Assert.IsAssignableFrom<JsonValue>(pair.Value));
        Assert.StartsWith("freshchat-", Value(config, "name"));
        Assert.Contains(Value(config, "connector.class"), new[] { SnowflakeClass, BigQueryClass, S3Class });
        Assert.True(int.Parse(Value(config, "tasks.max")!) >= 1);
    }

    [Fact]
    public void Sinks_HaveDistinctNamesAndDeadLetterTopics()
    {
        var configs = Configs().ToList();

        Assert.Equal(configs.Count, configs.Select(c => Value(c, "name")).Distinct().Count());
        Assert.Equal(configs.Count, configs.Select(c => Value(c, "errors.deadletterqueue.topic.name")).Distinct().Count());
        Assert.All(configs, c => Assert.DoesNotContain(Value(c, "errors.deadletterqueue.topic.name"), AvroTopics.Select(t => t.Name)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Sink_ReadsKeysAndValuesWithTheAvroConverter(string file)
    {
        var config = Config(file);

        Assert.Equal("io.confluent.connect.avro.AvroConverter", Value(config, "key.converter"));
        Assert.Equal("io.confluent.connect.avro.AvroConverter", Value(config, "value.converter"));
        Assert.False(string.IsNullOrEmpty(Value(config, "key.converter.schema.registry.url")));
        Assert.False(string.IsNullOrEmpty(Value(config, "value.converter.schema.registry.url")));
    }

    [Theory]
    [MemberData(nameof(WarehouseFiles))]
    public void Sink_MapsEachOfItsTopicsToOneTable(string file)
    {
        var config = Config(file);
        var topics = Topics(config);
        var map = TableMap(config);

        Assert.Equal(topics.Length, topics.Distinct().Count());
        Assert.Equal(topics.Order(), map.Keys.Order());
        Assert.Equal(map.Count, map.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(topics, t => Assert.Contains(t, AvroTopics.Select(a => a.Name)));
    }

    [Theory]
    [InlineData(SnowflakeClass)]
    [InlineData(BigQueryClass)]
    [InlineData(S3Class)]
    public void EachWarehouse_LandsEveryTopicTheProducerWritesExactlyOnce(string connectorClass)
    {
        var mapped = Configs().Where(c => Value(c, "connector.class") == connectorClass).SelectMany(Topics).ToList();

        Assert.Equal(AvroTopics.Select(t => t.Name).Order(), mapped.Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Sink_HasTheKeysItsConnectorRequires(string file)
    {
        var config = Config(file);
        string[] required = Value(config, "connector.class") switch
        {
            SnowflakeClass => ["snowflake.url.name", "snowflake.user.name", "snowflake.private.key", "snowflake.database.name", "snowflake.schema.name", "snowflake.role.name", "snowflake.topic2table.map"],
            S3Class => ["s3.bucket.name", "s3.region", "storage.class", "format.class", "partitioner.class", "flush.size"],
            _ => ["project", "defaultDataset", "keyfile", "keySource", "topic2TableMap"],
        };

        Assert.All(required, key => Assert.False(string.IsNullOrEmpty(Value(config, key)), $"{file}: {key} is required"));
    }

    [Fact]
    public void Snowflake_StreamsWithSchematizationAndNoKeysRetiredIn3x()
    {
        var config = Configs().Single(c => Value(c, "connector.class") == SnowflakeClass);

        Assert.Equal("SNOWPIPE_STREAMING", Value(config, "snowflake.ingestion.method"));
        Assert.Equal("true", Value(config, "snowflake.enable.schematization"));
        // 3.2 removed the double buffer: this key has no effect and the per-buffer thresholds no longer apply.
        Assert.DoesNotContain(config, pair => pair.Key is "snowflake.streaming.enable.single.buffer" or "buffer.count.records" or "buffer.size.bytes");
        Assert.NotNull(Value(config, "errors.deadletterqueue.topic.name"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void BigQuery_TimestampPartitioningDisablesThePartitionDecorator(string file)
    {
        // kafka-connect-bigquery's PartitioningModeValidator refuses timestampPartitionFieldName while
        // bigQueryPartitionDecorator keeps its default (true).
        var config = Config(file);
        if (Value(config, "connector.class") != BigQueryClass)
        {
            return;
        }

        if (Value(config, "timestampPartitionFieldName") is not null)
        {
            Assert.False(Flag(config, "bigQueryPartitionDecorator", defaultValue: true), $"{file}: timestampPartitionFieldName needs bigQueryPartitionDecorator=false");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void BigQuery_UpsertAndDeleteHaveTheirPrerequisites(string file)
    {
        // UpsertDeleteValidator: a key field for the merge, and merges that eventually run.
        var config = Config(file);
        if (Value(config, "connector.class") != BigQueryClass || !(Flag(config, "upsertEnabled", false) || Flag(config, "deleteEnabled", false)))
        {
            return;
        }

        Assert.False(string.IsNullOrEmpty(Value(config, "kafkaKeyFieldName")), $"{file}: upsert/delete needs kafkaKeyFieldName");
        var interval = long.Parse(Value(config, "mergeIntervalMs") ?? "60000");
        var threshold = long.Parse(Value(config, "mergeRecordsThreshold") ?? "-1");
        Assert.False(interval == -1 && threshold == -1, $"{file}: mergeIntervalMs and mergeRecordsThreshold cannot both be -1");
        Assert.True(interval == -1 || interval > 0);
        Assert.False(string.IsNullOrEmpty(Value(config, "intermediateTableSuffix") ?? "tmp"));
    }

    [Fact]
    public void BigQuery_UpsertsCurrentStateAndAppendsHistory()
    {
        // An upsert keyed on the entity keeps one row per key: right for compacted entity topics, but it would
        // erase the history topics (agent_availability keyed by agent keeps only the last transition).
        var policy = AvroTopics.ToDictionary(t => t.Name, t => t.Cleanup);

        foreach (var config in Configs().Where(c => Value(c, "connector.class") == BigQueryClass))
        {
            var upserts = Flag(config, "upsertEnabled", false);
            Assert.Equal(upserts, Flag(config, "deleteEnabled", false));
            var expected = upserts ? TopicCleanup.Compact : TopicCleanup.Delete;
            Assert.All(Topics(config), t => Assert.True(policy[t] == expected, $"{Value(config, "name")}: {t} is {policy[t]}, the connector {(upserts ? "upserts" : "appends")}"));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Sink_LeavesOnlyPlaceholdersTheWorkersEnvProviderResolves(string file)
    {
        // ConfigTransformer resolves only ${provider:[path:]key}; anything else is submitted literally.
        var connect = ComposeFile.Load().Service("connect");
        var environment = ComposeFile.Environment(connect);
        var provided = environment.Keys.ToHashSet(StringComparer.Ordinal);
        var raw = File.ReadAllText(Path.Combine(Folder, file));

        Assert.Equal("env", environment["CONNECT_CONFIG_PROVIDERS"]);
        Assert.DoesNotMatch(@"\$(?!\{)", raw.Replace("$$", "", StringComparison.Ordinal));
        Assert.All(Regex.Matches(raw, @"\$\{([^}]*)\}").Select(m => m.Groups[1].Value), placeholder =>
        {
            var match = Regex.Match(placeholder, "^env:([A-Za-z_][A-Za-z0-9_]*)$");
            Assert.True(match.Success, $"{file}: ${{{placeholder}}} is not an env provider placeholder");
            Assert.True(provided.Contains(match.Groups[1].Value), $"{file}: {match.Groups[1].Value} is not set on the connect service");
        });
    }

    [Fact]
    public void SubmitScript_GatesEachConnectorClassOnACredentialConnectInitReceives()
    {
        var script = File.ReadAllText(Path.Combine(Folder, "submit-connectors.sh"));
        var init = ComposeFile.Environment(ComposeFile.Load().Service("connect-init"));

        Assert.Contains("PUT", script);
        Assert.Contains("/connectors/$name/config", script);
        Assert.All(new[] { "SNOWFLAKE_ACCOUNT", "GCP_PROJECT" }, gate =>
        {
            Assert.Contains($"${{{gate}:-}}", script);
            Assert.True(init.ContainsKey(gate), $"connect-init does not receive {gate}");
        });
    }
}
