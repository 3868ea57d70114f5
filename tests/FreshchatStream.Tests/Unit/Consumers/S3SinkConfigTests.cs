using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Consumers;

/// <summary>
/// <c>consumers/kafka-connect/s3-sink.json</c>: the Confluent S3 sink writing Avro as Parquet into daily Hive-style
/// folders, every producer topic exactly once, and every placeholder an <c>${env:NAME}</c> the Connect service gets.
/// </summary>
[Trait("Issue", "#22")]
public sealed partial class S3SinkConfigTests
{
    private static readonly JsonObject Config =
        JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("consumers", "kafka-connect", "s3-sink.json")))!.AsObject();

    [Fact]
    public void S3Sink_HasTheRequiredKeysOfTheConfluentS3Sink()
    {
        string[] required =
        [
            "connector.class", "storage.class", "format.class", "partitioner.class", "path.format", "partition.duration.ms", "locale", "timezone",
            "timestamp.extractor", "flush.size", "rotate.interval.ms", "s3.bucket.name", "s3.region", "topics", "key.converter", "value.converter",
            "key.converter.schema.registry.url", "value.converter.schema.registry.url",
        ];

        Assert.All(required, key => Assert.False(string.IsNullOrWhiteSpace((string?)Config[key]), $"{key} is missing"));
        Assert.Equal("io.confluent.connect.s3.S3SinkConnector", Value("connector.class"));
        Assert.Equal("io.confluent.connect.s3.storage.S3Storage", Value("storage.class"));
        Assert.Equal("io.confluent.connect.s3.format.parquet.ParquetFormat", Value("format.class"));
    }

    [Fact]
    public void S3Sink_PartitionsByCaptureDayInUtcLikeTheParquetLander()
    {
        Assert.Equal("io.confluent.connect.storage.partitioner.TimeBasedPartitioner", Value("partitioner.class"));
        Assert.Equal("'date'=YYYY-MM-dd", Value("path.format"));
        Assert.Equal(TimeSpan.FromDays(1).TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Value("partition.duration.ms"));
        Assert.Equal("UTC", Value("timezone"));
        Assert.Equal("RecordField", Value("timestamp.extractor"));
        Assert.Equal("__captured_at", Value("timestamp.field"));
        Assert.InRange(long.Parse(Value("flush.size"), System.Globalization.CultureInfo.InvariantCulture), 1, 1_000_000);
        Assert.InRange(long.Parse(Value("rotate.interval.ms"), System.Globalization.CultureInfo.InvariantCulture), 1, (long)TimeSpan.FromDays(1).TotalMilliseconds);
    }

    [Fact]
    public void S3Sink_CoversEveryProducerTopicExactlyOnceWithTheAvroConverter()
    {
        var producerTopics = new TopicNames("freshchat").All().Select(t => t.Name)
            .Where(t => t is not "freshchat.dlq") // raw JSON dead letters, not Avro
            .Order(StringComparer.Ordinal);
        Assert.Null(Config["topics.regex"]);

        var topics = Value("topics").Split(',');

        Assert.Equal(producerTopics, topics.Order(StringComparer.Ordinal));
        Assert.Equal(topics.Length, topics.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("io.confluent.connect.avro.AvroConverter", Value("key.converter"));
        Assert.Equal("io.confluent.connect.avro.AvroConverter", Value("value.converter"));
        Assert.Equal("${env:SCHEMA_REGISTRY_URL}", Value("value.converter.schema.registry.url"));
        Assert.Equal("${env:SCHEMA_REGISTRY_URL}", Value("key.converter.schema.registry.url"));
    }

    [Fact]
    public void S3Sink_PlaceholdersAreEnvReferencesTheConnectServiceProvides()
    {
        var placeholders = Config.Select(p => (string?)p.Value ?? string.Empty).SelectMany(v => Placeholder().Matches(v)).Select(m => m.Value).ToList();
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryRoot.Combine("docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        var connect = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"])["connect"];
        var environment = ((YamlMappingNode)connect["environment"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("${env:S3_BUCKET}", placeholders);
        Assert.All(placeholders, p => Assert.Matches(EnvReference(), p));
        Assert.All(placeholders, p => Assert.Contains(EnvReference().Match(p).Groups[1].Value, environment));
        // The plugin is baked into our Connect image at build time, not installed at container start.
        Assert.Contains("kafka-connect-s3", File.ReadAllText(RepositoryRoot.Combine("consumers", "kafka-connect", "Dockerfile")));
    }

    private static string Value(string key) => (string?)Config[key] ?? throw new Xunit.Sdk.XunitException($"{key} is missing");

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\$\{env:([A-Z][A-Z0-9_]*)\}$")]
    private static partial Regex EnvReference();
}
