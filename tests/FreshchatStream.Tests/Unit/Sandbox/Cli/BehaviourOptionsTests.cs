using FreshchatStream.Sandbox.Cli;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Unit.Sandbox.Cli;

/// <summary><c>--behaviour name=value</c> and <c>--profile</c> on <c>up</c> and <c>freshchat</c>.</summary>
[Trait("Issue", "#17")]
public sealed class BehaviourOptionsTests
{
    [Fact]
    public void UpParse_BehaviourAndProfile_ReachTheEmulatorOptions()
    {
        var options = UpArguments.Parse(["--profile", "other", "--behaviour", "messages_from_time_inclusive=false", "--behaviour=MaxItemsPerPage=30"])
            .ToStackOptions().Freshchat;

        Assert.Equal(EmulatorProfile.Other, options.Profile);
        Assert.Equal([KeyValuePair.Create("messages_from_time_inclusive", "false"), KeyValuePair.Create("MaxItemsPerPage", "30")], options.BehaviourSettings);
    }

    [Fact]
    public void FreshchatParse_BehaviourAndProfile_ReachTheEmulatorOptions()
    {
        var options = FreshchatArguments.Parse(["--behaviour", "agent_status_without_id=true", "--profile", "DEFAULT"]).ToEmulatorOptions();

        Assert.Equal(EmulatorProfile.Default, options.Profile);
        Assert.Equal([KeyValuePair.Create("agent_status_without_id", "true")], options.BehaviourSettings);
    }

    [Fact]
    public void Parse_NoProfile_LeavesItToTheEnvironment()
    {
        Assert.Null(UpArguments.Parse([]).ToStackOptions().Freshchat.Profile);
        Assert.Null(FreshchatArguments.Parse([]).ToEmulatorOptions().Profile);
    }

    [Theory]
    [InlineData(new[] { "--behaviour", "minimal_conversations" }, "option '--behaviour' needs name=value (a switch of /_sandbox/behaviour), not 'minimal_conversations'")]
    [InlineData(new[] { "--behaviour", "minimal_conversations=yes" }, "option '--behaviour': setting 'minimal_conversations' needs true or false, not 'yes'")]
    [InlineData(new[] { "--behaviour", "page_size_overflow=Truncate" }, "option '--behaviour': setting 'page_size_overflow' needs one of Clamp, Reject, not 'Truncate'")]
    [InlineData(new[] { "--profile", "strict" }, "option '--profile' must be default or other, not 'strict'")]
    public void Parse_BadValue_ThrowsUsageException(string[] args, string expected)
    {
        Assert.Equal(expected, Assert.Throws<UsageException>(() => UpArguments.Parse(args)).Message);
        Assert.Equal(expected, Assert.Throws<UsageException>(() => FreshchatArguments.Parse(args)).Message);
    }

    [Fact]
    public void Parse_UnknownSwitch_NamesTheKnownOnes()
    {
        var message = Assert.Throws<UsageException>(() => UpArguments.Parse(["--behaviour", "from_time=inclusive"])).Message;

        Assert.StartsWith("option '--behaviour': unknown setting 'from_time' (known: ", message, StringComparison.Ordinal);
        Assert.Contains("messages_from_time_inclusive", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other", EmulatorProfile.Other)]
    [InlineData(" Default ", EmulatorProfile.Default)]
    [InlineData("inclusive", null)]
    public void TryParse_ProfileNames(string value, EmulatorProfile? expected)
    {
        Assert.Equal(expected, EmulatorProfiles.TryParse(value));
    }
}
