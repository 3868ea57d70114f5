using Confluent.Kafka;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Publishing;

public sealed class PublishingOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Kafka:BootstrapServers"] = "localhost:9092",
        ["SchemaRegistry:Url"] = "http://localhost:8081",
    };

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddChangePublisher();
        return builder.Build();
    }

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string KafkaFailure(Dictionary<string, string?> settings)
    {
        using var host = Build(settings);
        return Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value).Message;
    }

    [Fact]
    public void Kafka_Defaults_MatchTheContract()
    {
        using var host = Build(Valid);
        var options = host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;

        Assert.Equal("freshchat", options.TopicPrefix);
        Assert.True(options.CreateTopics);
        Assert.Equal(3, options.TopicPartitions);
        Assert.Equal(1, options.ReplicationFactor);
        Assert.Empty(options.ClientSettings);
        Assert.False(host.Services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value.AutoRegisterSchemas);
    }

    [Fact]
    public void Kafka_MissingBootstrapServers_FailsNamingTheKey()
    {
        Assert.Contains("Kafka:BootstrapServers is required", KafkaFailure(With(("Kafka:BootstrapServers", null))));
    }

    [Theory]
    [InlineData("Kafka:TopicPrefix", "bad prefix!", "Kafka:TopicPrefix")]
    [InlineData("Kafka:TopicPartitions", "0", "Kafka:TopicPartitions")]
    [InlineData("Kafka:ReplicationFactor", "0", "Kafka:ReplicationFactor")]
    [InlineData("Kafka:DeliveryTimeout", "00:00:00", "Kafka:DeliveryTimeout")]
    [InlineData("Kafka:AdminTimeout", "01:00:00", "Kafka:AdminTimeout")]
    [InlineData("Kafka:enable.idempotence", "false", "Kafka:enable.idempotence cannot be set")]
    [InlineData("Kafka:acks", "1", "Kafka:acks cannot be set")]
    [InlineData("Kafka:BootstrapServer", "typo:9092", "Kafka:BootstrapServer is not a known setting")]
    public void Kafka_InvalidValue_FailsNamingTheKey(string key, string value, string expected)
    {
        Assert.Contains(expected, KafkaFailure(With((key, value))));
    }

    [Fact]
    public void Kafka_PassThroughKeys_ReachLibrdkafkaWithoutLeakingInErrors()
    {
        var settings = With(("Kafka:security.protocol", "SASL_SSL"), ("Kafka:sasl.mechanism", "PLAIN"), ("Kafka:sasl.password", "s3cr3t-value"), ("Kafka:TopicPrefix", "acme"));
        using var host = Build(settings);
        var options = host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;

        var config = KafkaConnection.BuildProducerConfig(options);

        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
        Assert.Equal("s3cr3t-value", config.SaslPassword);
        Assert.Equal("acme", options.TopicPrefix);
        Assert.DoesNotContain("TopicPrefix", options.ClientSettings.Keys);
        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
        Assert.Equal(Partitioner.Murmur2Random, config.Partitioner);
        Assert.Equal("localhost:9092", config.BootstrapServers);

        var failure = KafkaFailure(With(("Kafka:sasl.password", "s3cr3t-value"), ("Kafka:Bad", "s3cr3t-value")));
        Assert.DoesNotContain("s3cr3t-value", failure);
    }

    [Theory]
    [InlineData(null, null, "SchemaRegistry:Url is required")]
    [InlineData("not a url", null, "SchemaRegistry:Url must be an absolute")]
    [InlineData("http://user:pw@localhost:8081", null, "SchemaRegistry:Url must not carry credentials")]
    [InlineData("http://localhost:8081", "no-colon-secret", "SchemaRegistry:BasicAuthUserInfo must have the form")]
    public void SchemaRegistry_Invalid_FailsNamingTheKeyNotTheSecret(string? url, string? userInfo, string expected)
    {
        using var host = Build(With(("SchemaRegistry:Url", url), ("SchemaRegistry:BasicAuthUserInfo", userInfo)));

        var message = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value).Message;

        Assert.Contains(expected, message);
        Assert.DoesNotContain("no-colon-secret", message);
        Assert.DoesNotContain(":pw@", message);
    }

    [Fact]
    public void AddChangePublisher_ValidConfiguration_ResolvesThePublisherWithoutConnecting()
    {
        using var host = Build(With(("Kafka:TopicPrefix", "acme")));

        var publisher = host.Services.GetRequiredService<ChangeEventPublisher>();

        Assert.Equal("acme.users", publisher.Topics.For(PublishedResources.Users));
        Assert.Equal("acme.dlq", publisher.Topics.DeadLetter);
    }
}
