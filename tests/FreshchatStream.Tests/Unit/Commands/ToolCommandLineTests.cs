using FreshchatStream.Hosting.CommandLine;

namespace FreshchatStream.Tests.Unit.Commands;

public sealed class ToolCommandLineTests
{
    [Fact]
    public void SplitConfiguration_KeysWithColon_GoToConfigurationWithTheirValues()
    {
        var (commandLine, configuration) = ToolCommandLine.SplitConfiguration(["run", "--once", "--Kafka:TopicPrefix=acme", "--Redis:KeyPrefix", "p1"]);

        Assert.Equal(["run", "--once"], commandLine);
        Assert.Equal(["--Kafka:TopicPrefix=acme", "--Redis:KeyPrefix", "p1"], configuration);
    }

    [Fact]
    public void SplitConfiguration_OptionValuesWithColon_StayOnTheCommandLine()
    {
        var (commandLine, configuration) = ToolCommandLine.SplitConfiguration(["replay", "--to-datetime", "2025-07-01T00:00:00Z", "--kafka", "a=b:c"]);

        Assert.Equal(["replay", "--to-datetime", "2025-07-01T00:00:00Z", "--kafka", "a=b:c"], commandLine);
        Assert.Empty(configuration);
    }
}
