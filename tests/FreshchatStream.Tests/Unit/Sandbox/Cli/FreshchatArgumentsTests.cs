using FreshchatStream.Sandbox.Cli;
using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Sandbox.Cli;

public sealed class FreshchatArgumentsTests
{
    [Fact]
    public void Parse_NoOptions_LoopbackFreePortDefaultKey()
    {
        var parsed = FreshchatArguments.Parse([]);

        Assert.Equal("127.0.0.1", parsed.ListenAddress);
        Assert.Equal(0, parsed.FreshchatPort);
        Assert.Equal("sandbox-api-key", parsed.ApiKey);
        Assert.Equal(200, parsed.Users);
    }

    [Fact]
    public void Parse_PortAlias_SetsFreshchatPort()
    {
        Assert.Equal(8081, FreshchatArguments.Parse(["--port", "8081"]).FreshchatPort);
    }

    [Fact]
    public void ToEmulatorOptions_AllOptions_ReachTheEmulator()
    {
        var options = FreshchatArguments.Parse(["--listen", "::", "--freshchat-port", "8080", "--users", "7", "--seed", "3", "--api-key", "k"])
            .ToEmulatorOptions();

        Assert.Equal("::", options.ListenAddress);
        Assert.Equal(8080, options.Port);
        Assert.Equal(7, options.Users);
        Assert.Equal(3, options.Seed);
        Assert.Equal("k", options.ApiKey);
    }

    [Fact]
    public void Parse_DockerComposeSandboxCommand_MatchesTheProducerDefaults()
    {
        // The compose file is the contract: the sandbox service's command line must stay parseable by the CLI,
        // and serve the port and key the producer service falls back to.
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryRoot.Combine("docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var command = ((YamlSequenceNode)((YamlMappingNode)services["freshchat-sandbox"])["command"])
            .Children.Select(node => ((YamlScalarNode)node).Value!).ToList();
        var producerEnvironment = (YamlMappingNode)((YamlMappingNode)services["producer"])["environment"];

        Assert.Equal(FreshchatArguments.Command, command[0]);
        var parsed = FreshchatArguments.Parse(command[1..]);

        Assert.Equal("0.0.0.0", parsed.ListenAddress);
        Assert.Contains($"http://freshchat-sandbox:{parsed.FreshchatPort}/v2", ((YamlScalarNode)producerEnvironment["Freshchat__BaseUrl"]).Value);
        Assert.Contains($":-{parsed.ApiKey}}}", ((YamlScalarNode)producerEnvironment["Freshchat__ApiKey"]).Value);
    }

    [Theory]
    [InlineData(new[] { "--brokers", "3" }, "Unrecognized command or argument '--brokers'.")]
    [InlineData(new[] { "--listen" }, "Required argument missing for option: '--listen'.")]
    [InlineData(new[] { "--listen", "0.0.0" }, "option '--listen' expects an IP address such as 127.0.0.1 or 0.0.0.0, got '0.0.0'")]
    [InlineData(new[] { "--listen", "8080" }, "option '--listen' expects an IP address such as 127.0.0.1 or 0.0.0.0, got '8080'")]
    [InlineData(new[] { "--port", "-1" }, "option '--freshchat-port' must be between 0 and 65535, got -1")]
    public void Parse_BadInput_ThrowsUsageException(string[] args, string expected)
    {
        Assert.Equal(expected, Assert.Throws<UsageException>(() => FreshchatArguments.Parse(args)).Message);
    }
}
