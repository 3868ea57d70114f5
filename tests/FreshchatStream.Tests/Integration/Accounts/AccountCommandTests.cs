using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// <c>reset --account</c> and <c>check --account</c> with two accounts on shared topics: each acts on the named
/// account's namespace, lease and Freshchat alone.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class AccountCommandTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task ResetAccount_ClearsOnlyThatAccountsResource_NextRunRecapturesOnlyItsUsers()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 17);
        var (scenario, alpha, _, _) = accounts;
        var first = await scenario.RunAsync("run", "--once");
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = scenario.Read(CaptureCatalogue.UsersTopic);
        var groupsBefore = scenario.Read(CaptureCatalogue.GroupsTopic);

        var reset = await scenario.RunAsync("reset", "--account", alpha, "--resource", "users", "--yes");
        var rerun = await scenario.RunAsync("run", "--once");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Contains($"reset account {alpha} users:", reset.Output, StringComparison.Ordinal);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var again = scenario.ReadNew(CaptureCatalogue.UsersTopic, before);
        Assert.NotEmpty(again);
        Assert.All(again, u => Assert.Equal(alpha, (string)u.Value!["__account"]));
        Assert.Equal(scenario.Freshchat.Data.EnumerateUsers().Select(u => (string)u["id"]!).Order(), again.Select(u => u.Id).Order());
        // The same event ids: the users were re-published as they were, not changed.
        Assert.Equal(before.Where(u => (string)u.Value!["__account"] == alpha).Select(u => u.EventId).Order(), again.Select(u => u.EventId).Order());
        Assert.Empty(scenario.ReadNew(CaptureCatalogue.GroupsTopic, groupsBefore));
    }

    [Fact]
    public async Task ResetAccount_WhileRunHoldsThatAccountsLease_WaitsThenExitsThreeNamingTheHolder()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 19);
        var (scenario, alpha, _, _) = accounts;
        scenario.Settings["Capture:InstanceId"] = "holder";
        using var stop = new CancellationTokenSource();
        var run = accounts.RunUntilAsync(stop.Token);
        try
        {
            var redis = stack.Redis.Connection.GetDatabase();
            var watch = Stopwatch.StartNew();
            while (!await redis.KeyExistsAsync($"{scenario.KeyPrefix}:{alpha}:lease"))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60) && !run.IsCompleted, $"run never took {alpha}'s lease");
                await Task.Delay(100);
            }

            scenario.Settings["Capture:InstanceId"] = "operator";
            scenario.Settings["Capture:LeaseWaitTimeout"] = "00:00:02";
            var waited = Stopwatch.StartNew();
            var reset = await scenario.RunAsync("reset", "--account", alpha, "--resource", "users", "--yes");
            waited.Stop();

            Assert.True(reset.ExitCode == 3, reset.ToString());
            var line = Assert.Single(reset.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches($@"account {alpha} is captured by holder \(epoch \d+, lease expires ", line);
            Assert.Contains("Capture:LeaseWaitTimeout", line, StringComparison.Ordinal);
            Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(1.9), $"reset gave up after {waited.Elapsed.TotalSeconds:0.00} s");
        }
        finally
        {
            await stop.CancelAsync();
            var result = await run;
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    [Fact]
    public async Task CheckAccount_ChecksOnlyThatAccount_WithoutItEveryAccountInItsOwnBlock()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 23);
        var (scenario, alpha, beta, second) = accounts;

        var one = await scenario.RunAsync("check", "--account", beta);

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.StartsWith($"account {beta}{Environment.NewLine}", one.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(alpha, one.Output, StringComparison.Ordinal);
        Assert.Contains("ok   Freshchat", one.Output, StringComparison.Ordinal);
        Assert.True(second.Requests.Total > 0, "check --account beta never asked beta's Freshchat");
        Assert.Equal(0, scenario.Freshchat.Requests.Total);

        var every = await scenario.RunAsync("check");

        Assert.True(every.ExitCode == 0, every.ToString());
        Assert.Contains($"account {alpha}{Environment.NewLine}", every.Output, StringComparison.Ordinal);
        Assert.Contains($"account {beta}{Environment.NewLine}", every.Output, StringComparison.Ordinal);
        Assert.True(scenario.Freshchat.Requests.Total > 0, "check without --account never asked alpha's Freshchat");
    }
}
