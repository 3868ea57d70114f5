using FreshchatStream.Consumers.Commands;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Tests.Unit.Consumers;

public sealed class LanderArgumentsTests
{
    [Fact]
    public void Settings_EqualsAndSpaceForms_GiveTopicsGroupAndRepeatedClientSettings()
    {
        var options = LanderArguments.Parse(["duckdb", "--database=x.duckdb", "--topics", "Users, messages,users", "--prefix=acme",
            "--bootstrap-servers", "127.0.0.1:9092", "--schema-registry", "http://127.0.0.1:8081", "--kafka", "security.protocol=SASL_SSL", "--kafka=fetch.min.bytes=1", "--batch-size", "50"]);

        var settings = options.Settings("freshchat-lander-duckdb");

        Assert.Equal("x.duckdb", options.Require("database"));
        Assert.Equal(["acme.users", "acme.messages"], settings.Topics);
        Assert.Equal("freshchat-lander-duckdb", settings.GroupId);
        Assert.Equal(50, settings.BatchSize);
        Assert.Equal(new Dictionary<string, string> { ["security.protocol"] = "SASL_SSL", ["fetch.min.bytes"] = "1" }, settings.ClientSettings);
        Assert.Equal("users", settings.ResourceOf("acme.users"));
    }

    [Fact]
    public void Settings_ReplayWithoutARegistry_IsAllowedBecauseItDecodesNothing()
    {
        var settings = LanderArguments.Parse(["replay", "--group", "g", "--topics", "users", "--to-earliest", "--bootstrap-servers", "127.0.0.1:9092", "--prefix", "p"])
            .Settings("g");

        Assert.Equal(string.Empty, settings.SchemaRegistryUrl);
        Assert.Equal(["p.users"], settings.Topics);
    }

    [Fact]
    public void Parse_KafkaSettingWithoutEquals_IsAUsageError()
    {
        var options = LanderArguments.Parse(["duckdb", "--database", "x", "--kafka", "oops", "--bootstrap-servers", "b", "--schema-registry", "r", "--prefix", "p"]);

        var error = Assert.Throws<LanderUsageException>(() => options.Settings("g"));

        Assert.Contains("key=value", error.Message);
    }
}
