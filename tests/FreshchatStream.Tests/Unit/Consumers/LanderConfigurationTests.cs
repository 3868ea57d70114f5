using FreshchatStream.Consumers.Commands;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Consumers;

/// <summary>The lander's settings come from configuration (appsettings, environment, --Section:Key), validated naming the key.</summary>
[Trait("Issue", "#20")]
public sealed class LanderConfigurationTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Kafka:BootstrapServers"] = "127.0.0.1:9092",
        ["SchemaRegistry:Url"] = "http://127.0.0.1:8081",
    };

    [Fact]
    public void Settings_FromEnvironmentVariables_BindKafkaPassThroughRegistryAuthAndLanderKeys()
    {
        var prefix = $"E20_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = "broker-1:9092,broker-2:9092",
            ["Kafka__TopicPrefix"] = "acme",
            ["Kafka__security.protocol"] = "SASL_SSL",
            ["Kafka__sasl.mechanism"] = "PLAIN",
            ["Kafka__sasl.password"] = "kafka-secret",
            ["Kafka__CreateTopics"] = "false", // a producer key in a shared environment file: ignored by the lander
            ["SchemaRegistry__Url"] = "https://registry.example.com",
            ["SchemaRegistry__BasicAuthUserInfo"] = "key:registry-secret",
            ["Lander__Topics"] = "users,messages",
            ["Lander__Group"] = "warehouse",
            ["Lander__BatchSize"] = "250",
            ["Lander__SessionTimeout"] = "00:00:06",
        };
        foreach (var (key, value) in variables)
        {
            Environment.SetEnvironmentVariable(prefix + key, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            var settings = LanderArguments.Parse(["duckdb"]).Settings("freshchat-lander-duckdb", configuration);

            Assert.Equal("broker-1:9092,broker-2:9092", settings.BootstrapServers);
            Assert.Equal(["acme.users", "acme.messages"], settings.Topics);
            Assert.Equal("warehouse", settings.GroupId);
            Assert.Equal(250, settings.BatchSize);
            Assert.Equal(6000, settings.SessionTimeoutMs);
            Assert.Equal(new Dictionary<string, string> { ["security.protocol"] = "SASL_SSL", ["sasl.mechanism"] = "PLAIN", ["sasl.password"] = "kafka-secret" },
                settings.ClientSettings);
            Assert.Equal("key:registry-secret", settings.SchemaRegistry!.BasicAuthUserInfo);
            Assert.Equal("https://registry.example.com", settings.SchemaRegistryUrl);
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
    public void Settings_DocumentedOptions_OverrideConfigurationKeys()
    {
        var options = LanderArguments.Parse(["duckdb", "--bootstrap-servers", "cli:9092", "--prefix", "cli", "--kafka", "sasl.username=cli-user", "--session-timeout-ms", "7000"]);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(Valid()) { ["Kafka:TopicPrefix"] = "configured", ["Kafka:sasl.username"] = "configured-user" })
            .AddInMemoryCollection(options.ConfigurationOverrides())
            .Build();

        var settings = options.Settings("g", configuration);

        Assert.Equal("cli:9092", settings.BootstrapServers);
        Assert.Equal("cli", settings.TopicPrefix);
        Assert.Equal("cli-user", settings.ClientSettings["sasl.username"]);
        Assert.Equal(7000, settings.SessionTimeoutMs);
    }

    [Theory]
    [InlineData("Kafka:BootstrapServers", "", "Kafka:BootstrapServers")]
    [InlineData("Kafka:TopicPrefix", "no spaces", "Kafka:TopicPrefix")]
    [InlineData("Kafka:group.id", "mine", "Kafka:group.id cannot be set")]
    [InlineData("Kafka:enable.auto.commit", "false", "Kafka:enable.auto.commit cannot be set")]
    [InlineData("Kafka:SaslPassword", "x", "Kafka:SaslPassword is not a known setting")]
    [InlineData("Lander:BatchSize", "0", "Lander:BatchSize")]
    [InlineData("Lander:Topics", "users,bogus", "Lander:Topics")]
    [InlineData("Lander:SessionTimeout", "00:00:00.5", "Lander:SessionTimeout")]
    [InlineData("SchemaRegistry:Url", "", "SchemaRegistry:Url is required")]
    [InlineData("SchemaRegistry:Url", "http://user:pw@registry:8081", "SchemaRegistry:Url must not carry credentials")]
    [InlineData("SchemaRegistry:BasicAuthUserInfo", "no-colon-secret", "SchemaRegistry:BasicAuthUserInfo")]
    public void Settings_InvalidKey_FailsNamingItAndNeverItsValue(string key, string value, string expected)
    {
        var values = Valid();
        values[key] = value;

        var error = Assert.Throws<OptionsValidationException>(() => LanderArguments.Parse(["postgres"]).Settings("g", Configuration(values)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void Settings_Replay_NeedsNoRegistry()
    {
        var settings = LanderArguments.Parse(["replay"]).Settings("g", Configuration(new() { ["Kafka:BootstrapServers"] = "127.0.0.1:9092" }));

        Assert.Equal(string.Empty, settings.SchemaRegistryUrl);
        Assert.Null(settings.SchemaRegistry);
    }

    [Fact]
    public void WarehouseOptions_MissingOrInvalid_NameTheKeyWithoutTheConnectionString()
    {
        var duckDb = Assert.Throws<OptionsValidationException>(() => DuckDbOptions.From(Configuration([])));
        var missing = Assert.Throws<OptionsValidationException>(() => PostgresOptions.From(Configuration([])));
        var invalid = Assert.Throws<OptionsValidationException>(() => PostgresOptions.From(Configuration(new() { ["Postgres:ConnectionString"] = "Host=db;Bogus Key=secret-password" })));

        Assert.Contains("DuckDb:Database", duckDb.Message);
        Assert.Contains("Postgres:ConnectionString", missing.Message);
        Assert.Contains("Postgres:ConnectionString", invalid.Message);
        Assert.DoesNotContain("secret-password", invalid.Message);
        Assert.Equal("/data/f.duckdb", DuckDbOptions.From(Configuration(new() { ["DuckDb:Database"] = "/data/f.duckdb" })).Database);
    }

    [Fact]
    public async Task Cli_MissingDatabaseKey_ExitsTwoWithOneLineNamingTheKey()
    {
        using var error = new StringWriter();

        var code = await LanderCli.RunAsync(["duckdb", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1"], TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.StartsWith("configuration error: DuckDb:Database", Assert.Single(error.ToString().Trim().Split('\n')));
    }

    [Fact]
    public async Task Cli_UnparsableConfigurationValue_ExitsTwoNamingTheKeyNotTheValue()
    {
        using var error = new StringWriter();

        var code = await LanderCli.RunAsync(["duckdb", "--database", "x.duckdb", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1",
            "--Lander:BatchWait=secret-soon"], TextWriter.Null, error);

        Assert.Equal(2, code);
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Contains("Lander:BatchWait", line);
        Assert.DoesNotContain("secret", line);
    }
}
