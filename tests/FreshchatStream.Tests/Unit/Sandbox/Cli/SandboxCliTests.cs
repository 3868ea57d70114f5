using FreshchatStream.Sandbox.Cli;

namespace FreshchatStream.Tests.Unit.Sandbox.Cli;

public sealed class SandboxCliTests
{
    // Never completes: any test that reached a running server would hang visibly instead of passing.
    private static readonly Task NoStop = new TaskCompletionSource().Task;

    private static async Task<(int ExitCode, string Output, string Messages)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var messages = new StringWriter();
        var exitCode = await SandboxCli.RunAsync(args, output, messages, NoStop).WaitAsync(TimeSpan.FromSeconds(10));
        return (exitCode, output.ToString(), messages.ToString());
    }

    [Theory]
    [InlineData(new[] { "up", "--users", "abc" }, "freshchat-sandbox: option '--users' expects a whole number, got 'abc'", "Usage: freshchat-sandbox up")]
    [InlineData(new[] { "up", "--bogus" }, "freshchat-sandbox: unknown option '--bogus' for 'up' (see 'up --help')", "Usage: freshchat-sandbox up")]
    [InlineData(new[] { "freshchat", "--listen", "nowhere" }, "freshchat-sandbox: option '--listen' expects an IP address such as 127.0.0.1 or 0.0.0.0, got 'nowhere'", "Usage: freshchat-sandbox freshchat")]
    [InlineData(new[] { "up", "--webhook-url", "localhost:8080" }, "freshchat-sandbox: option '--webhook-url' expects an absolute http(s) URL such as http://127.0.0.1:8080/webhooks, got 'localhost:8080'", "Usage: freshchat-sandbox up")]
    [InlineData(new[] { "up", "--behaviour", "minimal_conversations=yes" }, "freshchat-sandbox: option '--behaviour': setting 'minimal_conversations' needs true or false, not 'yes'", "Usage: freshchat-sandbox up")]
    [InlineData(new[] { "freshchat", "--profile", "x" }, "freshchat-sandbox: option '--profile' must be default or other, not 'x'", "Usage: freshchat-sandbox freshchat")]
    [InlineData(new[] { "down" }, "freshchat-sandbox: unknown command 'down'", "freshchat-sandbox up [options]")]
    [InlineData(new string[0], "freshchat-sandbox: missing command", "freshchat-sandbox up [options]")]
    public async Task RunAsync_BadArguments_ExitsTwoWithOneLineThenUsageOnStandardError(string[] args, string firstLine, string usage)
    {
        var (exitCode, output, messages) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output);
        var lines = messages.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(firstLine, lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Contains(usage, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "freshchat-sandbox freshchat [options]")]
    [InlineData(new[] { "-h" }, "freshchat-sandbox freshchat [options]")]
    [InlineData(new[] { "up", "--help" }, "--schema-registry-port Q")]
    [InlineData(new[] { "freshchat", "-h" }, "--api-key K")]
    public async Task RunAsync_Help_PrintsUsageOnStandardOutputAndExitsZero(string[] args, string expected)
    {
        var (exitCode, output, messages) = await RunAsync(args);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Equal("", messages);
    }

    [Theory]
    [InlineData("up", "--users", "5")]
    [InlineData("up", "--seed", "5")]
    [InlineData("up", "--api-key", "k")]
    [InlineData("up", "--freshchat-port", "5")]
    [InlineData("up", "--schema-registry-port", "5")]
    [InlineData("up", "--listen", "0.0.0.0")]
    [InlineData("up", "--brokers", "3")]
    [InlineData("up", "--topics", "t")]
    [InlineData("up", "--partitions", "5")]
    [InlineData("freshchat", "--users", "5")]
    [InlineData("freshchat", "--seed", "5")]
    [InlineData("freshchat", "--api-key", "k")]
    [InlineData("freshchat", "--freshchat-port", "5")]
    [InlineData("freshchat", "--port", "5")]
    [InlineData("freshchat", "--listen", "0.0.0.0")]
    public async Task RunAsync_Help_DescribesEveryOptionTheParserAccepts(string command, string option, string value)
    {
        var (_, help, _) = await RunAsync(command, "--help");

        var accepted = Record.Exception(() => _ = command == "up" ? UpArguments.Parse([option, value]) : (object)FreshchatArguments.Parse([option, value]));

        Assert.Null(accepted);
        Assert.Contains(option + " ", help, StringComparison.Ordinal);
    }
}
