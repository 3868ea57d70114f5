using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>The other commands (<c>snapshot</c>, <c>status</c>, <c>reset</c>, <c>check</c>) and the exit codes users rely on.</summary>
[Trait("Category", "Integration")]
public sealed class CommandTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Snapshot_SelectedResources_ReemitsCurrentStateAsReadWithTheSameEventIds()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var groupsBefore = scenario.Read(CaptureCatalogue.GroupsTopic);
        var usersBefore = scenario.Read(CaptureCatalogue.UsersTopic).Count;

        var result = await scenario.RunAsync("snapshot", "--resources", "groups");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("snapshot groups: done", result.Error);
        var snapshot = scenario.ReadNew(CaptureCatalogue.GroupsTopic, groupsBefore);
        Assert.Equal(groupsBefore.Count, snapshot.Count);
        Assert.All(snapshot, r => Assert.Equal("r", r.Op));
        Assert.All(snapshot, r => Assert.Equal("freshchat.group.snapshot", r.Headers["ce_type"]));
        Assert.Equal(groupsBefore.Select(r => r.EventId).Order(), snapshot.Select(r => r.EventId).Order());
        Assert.Equal(usersBefore, scenario.Read(CaptureCatalogue.UsersTopic).Count);
    }

    [Fact]
    public async Task Status_AfterARun_ShowsEveryResourceWithItsLastCycle()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Freshchat.Behaviour.HonourUpdatedFilters = true; // the status row below names this reading
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var result = await scenario.RunAsync("status");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("resource", lines[0]);
        var users = Assert.Single(lines, l => l.StartsWith("users ", StringComparison.Ordinal) && !l.Contains("filter", StringComparison.Ordinal));
        Assert.Contains(" 40 ", users);
        Assert.EndsWith("ok", users);
        Assert.Contains(lines, l => l.StartsWith("agent_availability", StringComparison.Ordinal) && l.EndsWith("ok", StringComparison.Ordinal));
        Assert.Contains("users updated_from filter: Honoured", result.Output);
    }

    [Fact]
    public async Task Reset_WithoutYes_RefusesWithExitCodeTwo()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);

        var result = await scenario.RunAsync("reset", "--resource", "users");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--yes", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Reset_Users_NextRunRepublishesEveryUserWithTheSameEventIds()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var first = scenario.Read(CaptureCatalogue.UsersTopic);

        var reset = await scenario.RunAsync("reset", "--resource", "users", "--yes");
        var rerun = await scenario.RunAsync("run", "--once");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var again = scenario.ReadNew(CaptureCatalogue.UsersTopic, first);
        Assert.Equal(first.Select(r => r.EventId).Order(), again.Select(r => r.EventId).Order());
        Assert.Equal(scenario.Read(CaptureCatalogue.GroupsTopic).Count, scenario.Freshchat.Data.GetGroups().Count);
    }

    [Fact]
    public async Task Check_EverythingReachable_ExitsZeroWithOneLinePerDependency()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);

        var result = await scenario.RunAsync("check");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var dependency in new[] { "configuration", "Freshchat", "Schema Registry", "Kafka", "Redis" })
        {
            Assert.Contains($"ok   {dependency}", result.Output);
        }
    }

    [Fact]
    public async Task Check_RedisUnreachable_ExitsThree()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Redis:Configuration"] = $"127.0.0.1:{FreePort.Next()},abortConnect=false,connectTimeout=500,syncTimeout=500";

        var result = await scenario.RunAsync("check");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("FAIL Redis", result.Output);
        Assert.StartsWith("check failed: Redis", result.Error);
    }

    [Fact]
    public async Task Run_WrongApiKey_ExitsThreeWithOneActionableLineAndNoKey()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings["Freshchat:ApiKey"] = "wrong-secret-key-123";

        var result = await scenario.RunAsync("run", "--once");

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("Freshchat:ApiKey", line);
        Assert.DoesNotContain("wrong-secret-key-123", result.Error + result.Output);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("Freshchat:BaseUrl", "", "Freshchat:BaseUrl")]
    [InlineData("Kafka:BootstrapServers", "", "Kafka:BootstrapServers")]
    [InlineData("Redis:Configuration", "", "Redis:Configuration")]
    [InlineData("Capture:Resources", "users,bogus", "Capture:Resources")]
    [InlineData("Capture:PollInterval", "00:00:00", "Capture:PollInterval")]
    public async Task Run_InvalidConfiguration_ExitsTwoNamingTheKey(string key, string value, string named)
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        scenario.Settings[key] = value;

        var result = await scenario.RunAsync("run", "--once");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(named, line);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Cli_UnknownCommand_ExitsTwoWithUsageHint()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);

        var result = await scenario.RunAsync("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--help", result.Error);
    }
}
