using FreshchatStream.Producer.Commands;

namespace FreshchatStream.Tests.Unit.Commands;

public sealed class ParsedArgumentsTests
{
    private static ParsedArguments Parse(params string[] args) => ParsedArguments.Parse(args, CommandCatalog.Commands);

    [Fact]
    public void Parse_RunOnceWithConfigurationOverrides_SplitsFlagsFromConfiguration()
    {
        var parsed = Parse("run", "--once", "--Kafka:TopicPrefix=acme", "--Redis:KeyPrefix", "p1");

        Assert.Equal("run", parsed.Command);
        Assert.True(parsed.HasFlag("once"));
        Assert.Equal(["--Kafka:TopicPrefix=acme", "--Redis:KeyPrefix", "p1"], parsed.ConfigurationArguments);
    }

    [Theory]
    [InlineData("--resources=users,agents")]
    [InlineData("--resources", "users,agents")]
    public void Parse_SnapshotResources_BothForms(params string[] options)
    {
        Assert.Equal("users,agents", Parse(["snapshot", .. options]).GetOption("resources"));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "--forever")]
    [InlineData("run", "extra")]
    [InlineData("snapshot", "--resources")]
    [InlineData("reset", "--once")]
    public void Parse_Mistakes_AreCommandLineErrors(params string[] args)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(args));

        Assert.Contains(args[^1], error.Message);
    }

    [Fact]
    public void Parse_NoArguments_IsHelp()
    {
        Assert.Equal("help", Parse().Command);
    }

    [Fact]
    public async Task Cli_Help_ListsEveryCommandAndExitCode()
    {
        using var output = new StringWriter();

        var code = await FreshchatStreamCli.RunAsync(["--help"], output, TextWriter.Null);

        Assert.Equal(0, code);
        foreach (var command in CommandCatalog.Commands.Keys)
        {
            Assert.Contains(command, output.ToString());
        }

        Assert.Contains("2 configuration error", output.ToString());
    }

    [Fact]
    public async Task Cli_UnknownOption_ExitsTwoWithOneLine()
    {
        using var error = new StringWriter();

        var code = await FreshchatStreamCli.RunAsync(["status", "--colour"], TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Contains("--colour", error.ToString());
    }
}
