using FreshchatStream.Hosting;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;

namespace FreshchatStream.Tests.Unit.Hosting;

[Trait("Issue", "#20")]
public sealed class ObservabilityOptionsTests
{
    [Theory]
    [InlineData("otel-collector:4317", "Observability:Otlp:Endpoint")]
    [InlineData("/v1/traces", "Observability:Otlp:Endpoint")]
    [InlineData("ftp://collector:4317", "Observability:Otlp:Endpoint")]
    public void Validate_OtlpEndpointNotAnAbsoluteHttpUri_NamesTheKey(string endpoint, string key)
    {
        var result = new ObservabilityOptionsValidator().Validate(null, new ObservabilityOptions { Otlp = new OtlpOptions { Endpoint = endpoint } });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OtlpProtocolAndHeaders_NameTheirKeysWithoutEchoingTheHeaders()
    {
        var result = new ObservabilityOptionsValidator().Validate(null, new ObservabilityOptions
        {
            Otlp = new OtlpOptions { Endpoint = "http://127.0.0.1:4318", Protocol = "json", Headers = "secret-token-without-a-key" },
        });

        Assert.Contains(result.Failures!, f => f.StartsWith("Observability:Otlp:Protocol", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Observability:Otlp:Headers", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("secret-token", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OtlpOffOrWellFormed_Succeeds()
    {
        var validator = new ObservabilityOptionsValidator();

        Assert.True(validator.Validate(null, new ObservabilityOptions()).Succeeded);
        Assert.True(validator.Validate(null, new ObservabilityOptions
        {
            Otlp = new OtlpOptions { Endpoint = "https://otlp.example.com:4318", Protocol = "http/protobuf", Headers = "x-api-key=abc, x-team=data" },
        }).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:9464/health/live")]
    [InlineData("0.0.0.0", "http://127.0.0.1:9464/health/live")]
    [InlineData("localhost", "http://127.0.0.1:9464/health/live")]
    [InlineData("::", "http://127.0.0.1:9464/health/live")]
    [InlineData("::1", "http://[::1]:9464/health/live")]
    [InlineData("10.1.2.3", "http://10.1.2.3:9464/health/live")]
    public void ProbeUri_WildcardListenAddress_ProbesLoopback(string listenAddress, string expected)
    {
        var options = new ObservabilityOptions { MetricsPort = 9464, ListenAddress = listenAddress };

        Assert.Equal(new Uri(expected), options.ProbeUri("/health/live"));
    }

    [Fact]
    public void ProducerSettings_AreExactlyTheProducersNamedKafkaOptions()
    {
        // The landers skip these names when reading the librdkafka pass-through, so a shared configuration works.
        Assert.Equal(typeof(KafkaOptions).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal),
            LibrdkafkaSettings.ProducerSettings.Order(StringComparer.Ordinal));
    }
}
