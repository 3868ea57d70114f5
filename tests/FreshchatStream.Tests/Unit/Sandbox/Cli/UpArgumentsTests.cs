using FreshchatStream.Sandbox.Cli;

namespace FreshchatStream.Tests.Unit.Sandbox.Cli;

public sealed class UpArgumentsTests
{
    [Fact]
    public void Parse_NoOptions_UsesDocumentedDefaults()
    {
        var parsed = UpArguments.Parse([]);

        Assert.Equal(200, parsed.Users);
        Assert.Equal(42, parsed.Seed);
        Assert.Equal("sandbox-api-key", parsed.ApiKey);
        Assert.Equal(0, parsed.FreshchatPort);
        Assert.Equal(0, parsed.SchemaRegistryPort);
        Assert.Equal("127.0.0.1", parsed.ListenAddress);
        Assert.Equal(1, parsed.Brokers);
        Assert.Empty(parsed.Topics);
        Assert.Null(parsed.WebhookUrl);
    }

    [Theory]
    [Trait("Issue", "#10")]
    [InlineData("http://127.0.0.1:8080/webhooks/freshchat")]
    [InlineData("https://hooks.example.com/freshchat?token=a")]
    public void Parse_WebhookUrl_ReachesTheFreshchatEmulatorOptions(string url)
    {
        var parsed = UpArguments.Parse(["--webhook-url", url]);

        Assert.Equal(new Uri(url), parsed.WebhookUrl);
        Assert.Equal(new Uri(url), parsed.ToStackOptions().Freshchat.WebhookUrl);
    }

    [Theory]
    [Trait("Issue", "#10")]
    [InlineData("ftp://127.0.0.1/hooks")]
    [InlineData("/hooks/freshchat")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("not a url")]
    public void Parse_WebhookUrlNotAbsoluteHttp_ThrowsUsageExceptionNamingTheOption(string url)
    {
        var error = Assert.Throws<UsageException>(() => UpArguments.Parse(["--webhook-url", url]));

        Assert.Equal($"option '--webhook-url' expects an absolute http(s) URL such as http://127.0.0.1:8080/webhooks, got '{url}'", error.Message);
    }

    [Fact]
    public void Parse_EveryOptionSpaceSeparated_SetsEachValue()
    {
        var parsed = UpArguments.Parse(
        [
            "--users", "50", "--seed", "-7", "--freshchat-port", "18080", "--schema-registry-port", "18081",
            "--brokers", "3", "--listen", "0.0.0.0", "--api-key", "k-1", "--topics", "a, b,a", "--partitions", "5",
        ]);

        Assert.Equal(50, parsed.Users);
        Assert.Equal(-7, parsed.Seed);
        Assert.Equal(18080, parsed.FreshchatPort);
        Assert.Equal(18081, parsed.SchemaRegistryPort);
        Assert.Equal(3, parsed.Brokers);
        Assert.Equal("0.0.0.0", parsed.ListenAddress);
        Assert.Equal("k-1", parsed.ApiKey);
        Assert.Equal(["a", "b"], parsed.Topics);
        Assert.Equal(5, parsed.Partitions);
    }

    [Fact]
    public void Parse_EqualsForm_SetsValue()
    {
        var parsed = UpArguments.Parse(["--users=75", "--api-key=a=b", "--listen=localhost"]);

        Assert.Equal(75, parsed.Users);
        Assert.Equal("a=b", parsed.ApiKey);
        Assert.Equal("127.0.0.1", parsed.ListenAddress);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Cli_HelpAnywhere_ShowsHelp(string help)
    {
        using var output = new StringWriter();

        var code = await SandboxCli.RunAsync(["up", "--users", "5", help, "--bogus"], output, TextWriter.Null, new TaskCompletionSource().Task);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("--schema-registry-port <Q>", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToStackOptions_ListenAndPorts_ReachBothEmulatorsAndTheCluster()
    {
        var options = UpArguments.Parse(["--listen", "0.0.0.0", "--freshchat-port", "1", "--schema-registry-port", "2", "--brokers", "3", "--users", "9", "--api-key", "k"])
            .ToStackOptions();

        Assert.Equal("0.0.0.0", options.Freshchat.ListenAddress);
        Assert.Equal("0.0.0.0", options.SchemaRegistry.ListenAddress);
        Assert.Equal(1, options.Freshchat.Port);
        Assert.Equal(2, options.SchemaRegistry.Port);
        Assert.Equal(3, options.KafkaBrokers);
        Assert.Equal(9, options.Freshchat.Users);
        Assert.Equal("k", options.Freshchat.ApiKey);
    }

    [Theory]
    [InlineData(new[] { "--users", "abc" }, "option '--users' expects a whole number, got 'abc'")]
    [InlineData(new[] { "--users", "0" }, "option '--users' must be between 1 and 10000000, got 0")]
    [InlineData(new[] { "--users" }, "Required argument missing for option: '--users'.")]
    [InlineData(new[] { "--users", "--seed", "3" }, "Option '--users' needs a value, not the option '--seed'.")]
    [InlineData(new[] { "--brokers", "33" }, "option '--brokers' must be between 1 and 32, got 33")]
    [InlineData(new[] { "--freshchat-port", "70000" }, "option '--freshchat-port' must be between 0 and 65535, got 70000")]
    [InlineData(new[] { "--listen", "example.com" }, "option '--listen' expects an IP address such as 127.0.0.1 or 0.0.0.0, got 'example.com'")]
    [InlineData(new[] { "--api-key", " " }, "option '--api-key' must not be empty")]
    [InlineData(new[] { "--topics", "bad topic" }, "option '--topics': 'bad topic' is not a valid Kafka topic name")]
    [InlineData(new[] { "--frobnicate", "1" }, "Unrecognized command or argument '--frobnicate'.")]
    [InlineData(new[] { "50" }, "Unrecognized command or argument '50'.")]
    [InlineData(new[] { "--freshchat-port", "9000", "--schema-registry-port", "9000" }, "--freshchat-port and --schema-registry-port are both 9000; the two emulators need different ports")]
    public void Parse_BadInput_ThrowsUsageExceptionWithOneLineMessage(string[] args, string expected)
    {
        var error = Assert.Throws<UsageException>(() => UpArguments.Parse(args));

        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
