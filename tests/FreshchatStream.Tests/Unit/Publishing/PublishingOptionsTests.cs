using Confluent.Kafka;
using Confluent.SchemaRegistry;
using FreshchatStream.Hosting;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
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

    [Fact]
    public void Kafka_SecuritySettingsFromEnvironment_ReachProducerAdminAndConsumer()
    {
        // As a deployment sets them: environment variables with dotted librdkafka names (Kafka__sasl.password).
        var prefix = $"FCS_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = "broker-1:9093,broker-2:9093",
            ["Kafka__security.protocol"] = "SASL_SSL",
            ["Kafka__sasl.mechanism"] = "SCRAM-SHA-512",
            ["Kafka__sasl.username"] = "capture",
            ["Kafka__sasl.password"] = "env-s3cr3t",
            ["Kafka__ssl.ca.location"] = "/etc/kafka/ca.pem",
            ["Kafka__ssl.endpoint.identification.algorithm"] = "https",
            ["Kafka__linger.ms"] = "20",
            ["SchemaRegistry__Url"] = "https://registry:8081",
        };
        foreach (var (key, value) in variables)
        {
            Environment.SetEnvironmentVariable(prefix + key, value);
        }

        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.AddChangePublisher();
            using var host = builder.Build();
            var connection = host.Services.GetRequiredService<KafkaConnection>();

            ClientConfig[] configs = [connection.ProducerConfig(), connection.AdminConfig(), connection.ConsumerConfig("reader")];
            foreach (var config in configs)
            {
                Assert.Equal("broker-1:9093,broker-2:9093", config.BootstrapServers);
                Assert.Equal("SASL_SSL", config.Get("security.protocol"));
                Assert.Equal("SCRAM-SHA-512", config.Get("sasl.mechanism"));
                Assert.Equal("capture", config.SaslUsername);
                Assert.Equal("env-s3cr3t", config.SaslPassword);
                Assert.Equal("/etc/kafka/ca.pem", config.SslCaLocation);
                Assert.Equal("https", config.Get("ssl.endpoint.identification.algorithm"));
            }

            Assert.Equal("20", configs[0].Get("linger.ms"));
            Assert.Null(configs[1].Get("linger.ms")); // producer tuning stays on the producer
        }
        finally
        {
            foreach (var key in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + key, null);
            }
        }
    }

    [Fact]
    public void SchemaRegistry_AuthAndTls_ReachTheRegistryClient()
    {
        var ca = Path.GetTempFileName();
        var keystore = Path.GetTempFileName();
        try
        {
            using var host = Build(With(
                ("SchemaRegistry:Url", "https://registry-a:8081,https://registry-b:8081"),
                ("SchemaRegistry:BasicAuthUserInfo", "sr-user:sr-s3cr3t"),
                ("SchemaRegistry:SslCaLocation", ca),
                ("SchemaRegistry:SslKeystoreLocation", keystore),
                ("SchemaRegistry:SslKeystorePassword", "ks-s3cr3t"),
                ("SchemaRegistry:EnableSslCertificateVerification", "false"),
                ("SchemaRegistry:RequestTimeout", "00:00:07")));
            var options = host.Services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value;

            var config = SchemaRegistryClientConfig.Build(options);

            Assert.Equal("https://registry-a:8081,https://registry-b:8081", config.Url);
            Assert.Equal(AuthCredentialsSource.UserInfo, config.BasicAuthCredentialsSource);
            Assert.Equal("sr-user:sr-s3cr3t", config.BasicAuthUserInfo);
            Assert.Equal(ca, config.SslCaLocation);
            Assert.Equal(keystore, config.SslKeystoreLocation);
            Assert.Equal("ks-s3cr3t", config.SslKeystorePassword);
            Assert.False(config.EnableSslCertificateVerification);
            Assert.Equal(7000, config.RequestTimeoutMs);
        }
        finally
        {
            File.Delete(ca);
            File.Delete(keystore);
        }
    }

    [Fact]
    public void SchemaRegistry_TlsFileMissing_FailsNamingTheKeyNotThePassword()
    {
        using var host = Build(With(
            ("SchemaRegistry:SslCaLocation", "/nonexistent/ca.pem"),
            ("SchemaRegistry:SslKeystoreLocation", "/nonexistent/client.p12"),
            ("SchemaRegistry:SslKeystorePassword", "ks-s3cr3t")));

        var message = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value).Message;

        Assert.Contains("SchemaRegistry:SslCaLocation names a file that does not exist.", message);
        Assert.Contains("SchemaRegistry:SslKeystoreLocation names a file that does not exist.", message);
        Assert.DoesNotContain("ks-s3cr3t", message);
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

        Assert.Equal("acme.users", publisher.Topics.For(CaptureCatalogue.UsersTopic));
        Assert.Equal("acme.dlq", publisher.Topics.DeadLetter);
    }
}
