using FreshchatStream.Consumers.Commands;

namespace FreshchatStream.Tests.Unit.Consumers;

public sealed class LanderCliTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LanderCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Cli_NoArgumentsOrHelp_ListsEveryCommandAndExitCode(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);

        Assert.Equal(0, code);
        foreach (var command in new[] { "duckdb", "postgres", "parquet", "compact", "replay", "health" })
        {
            Assert.Contains(command, output);
        }

        Assert.Contains("2 usage or configuration error", output);
    }

    [Fact]
    public async Task Cli_CommandHelp_NamesTheConfigurationKeyOfEachOption()
    {
        var (code, output, _) = await RunAsync("duckdb", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--database <PATH>", output);
        Assert.Contains("[DuckDb:Database]", output);
        Assert.Contains("--kafka <key=value>", output);
        Assert.Contains("--quiet", output);
    }

    [Theory]
    [InlineData("warehouse")]
    [InlineData("duckdb", "--colour")]
    [InlineData("replay", "--to-earliest", "extra")]
    [InlineData("duckdb", "--database")]
    public async Task Cli_Mistakes_ExitTwoWithOneLineNamingTheArgument(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: ", error);
        Assert.Contains(args[^1], error);
    }

    [Fact]
    public async Task Cli_Typo_SuggestsTheNearestOption()
    {
        var (code, _, error) = await RunAsync("duckdb", "--bootstrap-server", "b");

        Assert.Equal(2, code);
        Assert.Contains("Did you mean '--bootstrap-servers'?", error);
        Assert.Contains("freshchat-landers duckdb --help", error);
    }

    [Fact]
    public async Task Cli_OptionAsAValue_IsAnError()
    {
        var (code, _, error) = await RunAsync("replay", "--group", "--to-earliest", "--topics", "users");

        Assert.Equal(2, code);
        Assert.Contains("'--group' needs a value", error);
    }

    [Theory]
    [InlineData("--Lander:BatchSize=0")]
    [InlineData("--Lander:BatchSize", "0")]
    public async Task Cli_ConfigurationArguments_ReachTheConfiguration(params string[] setting)
    {
        // Settings are validated before the warehouse or Kafka is touched, so a bad value proves the pass-through without I/O.
        var (code, _, error) = await RunAsync(["parquet", "--root", "/nonexistent-lake-h18", "--bootstrap-servers", "b", "--schema-registry", "http://r:8081", .. setting]);

        Assert.Equal(2, code);
        Assert.Contains("configuration error", error);
        Assert.Contains("Lander:BatchSize", error);
    }

    [Fact]
    public void Parse_RepeatedKafkaAndRecursiveQuiet_AreKept()
    {
        var options = LanderArguments.Parse(["replay", "--quiet", "--kafka", "a=1", "--kafka=b=2", "--Kafka:TopicPrefix", "p"]);

        Assert.True(options.Has("quiet"));
        Assert.Equal(["--Kafka:TopicPrefix", "p"], options.ConfigurationArguments);
        Assert.Equal("1", options.ConfigurationOverrides()["Kafka:a"]);
        Assert.Equal("2", options.ConfigurationOverrides()["Kafka:b"]);
    }
}
