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
    [InlineData(new[] { "up", "--users", "abc" }, "error: option '--users' expects a whole number, got 'abc' Run 'freshchat-sandbox up --help' for usage.")]
    [InlineData(new[] { "up", "--bogus" }, "error: Unrecognized command or argument '--bogus'. Run 'freshchat-sandbox up --help' for usage.")]
    [InlineData(new[] { "freshchat", "--listen", "nowhere" },
        "error: option '--listen' expects an IP address such as 127.0.0.1 or 0.0.0.0, got 'nowhere' Run 'freshchat-sandbox freshchat --help' for usage.")]
    [InlineData(new[] { "up", "--webhook-url", "localhost:8080" },
        "error: option '--webhook-url' expects an absolute http(s) URL such as http://127.0.0.1:8080/webhooks, got 'localhost:8080' Run 'freshchat-sandbox up --help' for usage.")]
    [InlineData(new[] { "up", "--behaviour", "minimal_conversations=yes" },
        "error: option '--behaviour': setting 'minimal_conversations' needs true or false, not 'yes' Run 'freshchat-sandbox up --help' for usage.")]
    [InlineData(new[] { "freshchat", "--profile", "x" }, "error: option '--profile' must be default or other, not 'x' Run 'freshchat-sandbox freshchat --help' for usage.")]
    [InlineData(new[] { "down" }, "error: Unrecognized command or argument 'down'. Run 'freshchat-sandbox --help' for usage.")]
    [InlineData(new[] { "demo", "--cycles", "21" }, "error: option '--cycles' must be between 0 and 20, got 21 Run 'freshchat-sandbox demo --help' for usage.")]
    public async Task RunAsync_BadArguments_ExitsTwoWithOneLineOnStandardError(string[] args, string line)
    {
        var (exitCode, output, messages) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output);
        Assert.Equal(line, messages.TrimEnd());
        Assert.DoesNotContain("   at ", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Typo_SuggestsTheNearestOption()
    {
        var (exitCode, _, messages) = await RunAsync("up", "--user", "5");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("Did you mean '--users'?", messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "freshchat  Starts only the Freshchat API emulator")]
    [InlineData(new[] { "-h" }, "demo       The product end to end")]
    [InlineData(new string[0], "up         Starts the Freshchat API emulator")]
    [InlineData(new[] { "up", "--help" }, "--schema-registry-port <Q>")]
    [InlineData(new[] { "freshchat", "-h" }, "--api-key <K>")]
    [InlineData(new[] { "demo", "--help" }, "--cycles <N>")]
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
