using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// The state-loss check on topics shared by accounts: a new account whose topics already hold another account's
/// records starts as a first run (creates, no re-snapshot), and an account whose own state is lost is recognised as
/// such by its own records in the shared topics.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class SharedTopicStateLossTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task SharedTopics_OtherAccountsRecords_AreNoStateLoss_OwnRecordsAre()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 12);
        var (scenario, alpha, beta, second) = accounts;
        accounts.UseAlphaAlone();
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        // beta joins the deployment: the shared topics hold alpha's records, none of beta's.
        accounts.UseBoth();
        var joined = await scenario.RunAsync("run", "--once");

        Assert.True(joined.ExitCode == 0, joined.ToString());
        var betaUsers = scenario.Read(CaptureCatalogue.UsersTopic).Where(u => (string)u.Value!["__account"] == beta).ToList();
        Assert.Equal(second.Data.EnumerateUsers().Count(), betaUsers.Count);
        Assert.All(betaUsers, u => Assert.Equal("c", u.Op));
        var redis = stack.Redis.Connection.GetDatabase();
        Assert.True((await redis.HashGetAsync($"{scenario.KeyPrefix}:{beta}:meta", MetaFields.Resnapshot)).IsNullOrEmpty);

        // alpha's state disappears (a flushed Redis): its own records in the shared topics reveal the loss. beta, its
        // state intact, runs beside it and publishes no user again, so every new users record is alpha's.
        foreach (var key in stack.Redis.Connection.GetServers()[0].Keys(pattern: $"{scenario.KeyPrefix}:{alpha}:*"))
        {
            await redis.KeyDeleteAsync(key);
        }

        var before = scenario.Read(CaptureCatalogue.UsersTopic).Count;
        var recovered = await scenario.RunAsync("run", "--once");

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        var again = scenario.Read(CaptureCatalogue.UsersTopic).Skip(0).Where(u => (string)u.Value!["__account"] == alpha).ToList();
        Assert.Equal(scenario.Read(CaptureCatalogue.UsersTopic).Count - before, scenario.Freshchat.Data.EnumerateUsers().Count());
        Assert.Equal(scenario.Freshchat.Data.EnumerateUsers().Count(), again.Count(u => u.Op == "r"));
    }
}
