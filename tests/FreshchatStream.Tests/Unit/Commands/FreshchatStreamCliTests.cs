using FreshchatStream.Producer.Commands;

namespace FreshchatStream.Tests.Unit.Commands;

public sealed class FreshchatStreamCliTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FreshchatStreamCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--resources=users,agents")]
    [InlineData("--resources", "users,agents")]
    public void Parse_SnapshotResources_BothForms(params string[] options)
    {
        var result = CommandCatalog.Build([], TextWriter.Null, TextWriter.Null, CancellationToken.None).Parse(["snapshot", .. options]);

        Assert.Empty(result.Errors);
        Assert.Equal("users,agents", result.GetValue<string>("--resources"));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "--forever")]
    [InlineData("run", "extra")]
    [InlineData("snapshot", "--resources")]
    [InlineData("reset", "--once")]
    public async Task Cli_Mistakes_ExitTwoNamingTheArgument(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(args[^1], error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Cli_NoArgumentsOrHelp_ShowsHelp(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Contains("Commands:", output);
    }

    [Fact]
    public async Task Cli_Help_ListsEveryCommandAndExitCode()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var command in new[] { "run", "snapshot", "status", "reset", "check", "health" })
        {
            Assert.Contains(command, output);
        }

        Assert.Contains("2 configuration error", output);
        Assert.Contains("--Section:Key=value", output);
    }

    [Fact]
    public async Task Cli_CommandHelp_ListsItsOptions()
    {
        var (code, output, _) = await RunAsync("reset", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--resource <X>", output);
        Assert.Contains("--yes", output);
        Assert.Contains("users", output);
    }

    [Fact]
    public async Task Cli_UnknownOption_ExitsTwoWithOneLine()
    {
        var (code, _, error) = await RunAsync("status", "--colour");

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--colour", error);
        Assert.Contains("freshchat-stream status --help", error);
    }

    [Theory]
    [InlineData("run", "--onec", "--once")]
    [InlineData("snapshot", "--resource", "--resources")]
    [InlineData("stauts", null, "status")]
    public async Task Cli_Typo_SuggestsTheNearestName(string command, string? option, string suggestion)
    {
        var (code, _, error) = await RunAsync(option is null ? [command] : [command, option]);

        Assert.Equal(2, code);
        Assert.Contains($"Did you mean '{suggestion}'?", error);
    }

    [Fact]
    [Trait("Issue", "#18")]
    public async Task Reset_ResourceWithoutValue_IsAnErrorNotResourceYes()
    {
        var (code, _, error) = await RunAsync("reset", "--resource", "--yes");

        Assert.Equal(2, code);
        Assert.Contains("--resource", error);
        Assert.DoesNotContain("'--yes' for --resource", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--Capture:Resources=users,bogus")]
    [InlineData("--Capture:Resources", "users,bogus")]
    public async Task Cli_ConfigurationArguments_ReachTheConfiguration(params string[] setting)
    {
        // snapshot resolves Capture:Resources before it builds anything, so a bad value proves the pass-through without I/O.
        var (code, _, error) = await RunAsync(["snapshot", .. setting]);

        Assert.Equal(2, code);
        Assert.Contains("Capture:Resources", error);
        Assert.Contains("bogus", error);
    }
}
