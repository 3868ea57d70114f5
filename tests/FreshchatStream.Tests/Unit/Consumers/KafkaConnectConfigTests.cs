using System.Text.Json.Nodes;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Consumers;

public sealed class KafkaConnectConfigTests
{
    private static JsonObject Config(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "consumers", "kafka-connect", file)))!["config"]!.AsObject();

    private static readonly HashSet<string> ProducerTopics = new TopicNames("freshchat").All().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    [Theory]
    [InlineData("snowflake-sink.json")]
    [InlineData("bigquery-sink.json")]
    public void Sink_NamesOnlyProducerTopicsAndUsesTheAvroConverter(string file)
    {
        var config = Config(file);

        var topics = ((string)config["topics"]!).Split(',');
        Assert.All(topics, t => Assert.Contains(t, ProducerTopics));
        Assert.DoesNotContain("freshchat.dlq", topics);
        Assert.DoesNotContain("freshchat.heartbeat", topics); // a liveness signal, not warehouse data
        Assert.Equal(PublishedResources.All.Count - 1, topics.Length);
        Assert.Equal("io.confluent.connect.avro.AvroConverter", (string)config["key.converter"]!);
        Assert.Equal("io.confluent.connect.avro.AvroConverter", (string)config["value.converter"]!);
        Assert.NotNull(config["key.converter.schema.registry.url"]);
        Assert.NotNull(config["value.converter.schema.registry.url"]);
        var mapped = ((string)(config["snowflake.topic2table.map"] ?? config["topic2TableMap"])!).Split(',').Select(p => p.Split(':')[0]);
        Assert.Equal(topics.Order(), mapped.Order());
    }

    [Fact]
    public void Snowflake_UsesSnowpipeStreamingWithSchematization()
    {
        var config = Config("snowflake-sink.json");

        Assert.Equal("SNOWPIPE_STREAMING", (string)config["snowflake.ingestion.method"]!);
        Assert.Equal("true", (string)config["snowflake.enable.schematization"]!);
        Assert.NotNull(config["errors.deadletterqueue.topic.name"]);
    }

    [Fact]
    public void BigQuery_UpsertsAndDeletesOnTheRecordKey()
    {
        var config = Config("bigquery-sink.json");

        Assert.Equal("true", (string)config["upsertEnabled"]!);
        Assert.Equal("true", (string)config["deleteEnabled"]!);
        Assert.False(string.IsNullOrEmpty((string?)config["kafkaKeyFieldName"]));
    }
}
