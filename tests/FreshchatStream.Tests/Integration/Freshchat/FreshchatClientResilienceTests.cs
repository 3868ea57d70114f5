using System.Diagnostics;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Freshchat;

/// <summary>The resilience pipeline against the emulator's faults, over real HTTP: throttling, outages, auth, budget, secrecy.</summary>
[Trait("Category", "Integration")]
public sealed class FreshchatClientResilienceTests
{
    private static readonly UserQuery AllUsers = new() { CreatedFrom = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) };

    [Fact]
    public async Task Call_Throttled_HonoursRetryAfterAndSucceeds()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Faults.RetryAfterSeconds = 1;
        harness.Emulator.Faults.Enqueue(FaultKind.TooManyRequests, "/v2/accounts/configuration", count: 2);
        var clock = Stopwatch.StartNew();

        var configuration = await harness.Client.GetAccountConfigurationAsync();

        Assert.NotNull(configuration.AccountId);
        Assert.Equal(2, harness.Emulator.Requests.Throttled);
        Assert.Equal(3, harness.Emulator.Requests.Get("GET /v2/accounts/configuration"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {clock.Elapsed}, before Retry-After allowed");
    }

    [Fact]
    public async Task Call_ThrottledWithoutRetryAfter_BacksOffAndSucceeds()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Behaviour.SendRetryAfter = false;
        harness.Emulator.Faults.Enqueue(FaultKind.TooManyRequests, "/v2/roles", count: 2);

        var roles = await harness.Client.ListRolesAsync().ToListAsync();

        Assert.Equal(harness.Emulator.Data.GetRoles().Count, roles.Count);
        Assert.Equal(2, harness.Emulator.Requests.Throttled);
    }

    [Fact]
    public async Task Calls_RemainingBudgetRunsLow_WaitForTheResetAndAreNeverThrottled()
    {
        // The server allows 5 per one-second window and says so in X-RateLimit-*; with a headroom of 1 the client
        // stops at 1 remaining and waits for X-RateLimit-Reset instead of running into 429.
        await using var harness = await ClientHarness.StartAsync(new Dictionary<string, string?> { ["Freshchat:RateLimitHeadroom"] = "1" });
        harness.Emulator.Faults.RateLimitWindow = TimeSpan.FromSeconds(1);
        harness.Emulator.Faults.RateLimitPerMinute = 5;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 12; i++)
        {
            await harness.Client.GetAccountConfigurationAsync();
        }

        Assert.Equal(12, harness.Emulator.Requests.Get("GET /v2/accounts/configuration"));
        Assert.Equal(0, harness.Emulator.Requests.Throttled);
        // 12 requests at 4 per window cross at least two window boundaries, i.e. more than one second.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"12 requests at 4 per window took only {clock.Elapsed}");
    }

    [Fact]
    public async Task Paging_ServerErrorBurstMidList_IsRecoveredWithoutLossOrDuplicates()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(FaultKind.ServiceUnavailable, "page=2", count: 2);
        harness.Emulator.Faults.Enqueue(FaultKind.ServerError, "page=3", count: 1);

        var users = await harness.Client.ListUsersAsync(AllUsers).ToListAsync();

        Assert.Equal(120, users.Count);
        Assert.Equal(120, users.Select(u => u.Id).Distinct().Count());
        Assert.Equal(3 + 3, harness.Emulator.Requests.Get("GET /v2/users"));
    }

    [Fact]
    public async Task Call_Timeout_IsRetriedAndSucceeds()
    {
        await using var harness = await ClientHarness.StartAsync(new Dictionary<string, string?> { ["Freshchat:AttemptTimeout"] = "00:00:01" });
        harness.Emulator.Faults.TimeoutHold = TimeSpan.FromSeconds(5);
        harness.Emulator.Faults.Enqueue(FaultKind.Timeout, "/v2/groups", count: 1);

        var groups = await harness.Client.ListGroupsAsync().ToListAsync();

        Assert.Equal(harness.Emulator.Data.GetGroups().Count, groups.Count);
        Assert.Equal(2, harness.Emulator.Requests.Get("GET /v2/groups"));
    }

    [Fact]
    public async Task Call_WrongKey_FailsFastWithOneRequestAndAnActionableMessage()
    {
        await using var harness = await ClientHarness.StartAsync(new Dictionary<string, string?> { ["Freshchat:ApiKey"] = "wrong-key-value-123" });

        var error = await Assert.ThrowsAsync<FreshchatAuthenticationException>(() => harness.Client.GetAccountConfigurationAsync());

        Assert.Equal(1, harness.Emulator.Requests.Total);
        Assert.Contains("Freshchat:ApiKey", error.Message);
        Assert.Contains("Freshchat:BaseUrl", error.Message);
        Assert.DoesNotContain("wrong-key-value-123", error.ToString());
    }

    [Fact]
    public async Task Logs_AtEveryLevelThroughFaults_NeverContainTheApiKey()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Emulator.Faults.RetryAfterSeconds = 1;
        harness.Emulator.Faults.Enqueue(FaultKind.TooManyRequests, "/v2/groups", count: 1);
        harness.Emulator.Faults.Enqueue(FaultKind.ServerError, "/v2/roles", count: 1);
        harness.Emulator.Faults.Enqueue(FaultKind.MalformedJson, "/v2/channels", count: 1);
        harness.Emulator.Faults.Enqueue(FaultKind.Unauthorized, "/v2/agents", count: 1);
        var errors = new List<Exception>();

        await harness.Client.ListGroupsAsync().ToListAsync();
        await harness.Client.ListRolesAsync().ToListAsync();
        foreach (var call in new Func<Task>[] { async () => await harness.Client.ListChannelsAsync().ToListAsync(), async () => await harness.Client.ListAgentsAsync().ToListAsync() })
        {
            try
            {
                await call();
            }
            catch (FreshchatException e)
            {
                errors.Add(e);
            }
        }

        var logs = harness.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.All(logs, l => Assert.DoesNotContain(harness.ApiKey, l.Message + l.Exception + string.Join(",", l.StructuredState ?? [])));
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain(harness.ApiKey, e.ToString()));
    }

    [Fact]
    public async Task RateLimiter_SixHundredRequests_StayWithinTheBudgetCountedAtTheServer()
    {
        // 6,000 per minute = 100 per second. The emulator enforces 110 per one-second window and answers 429 beyond
        // it; the client must never be throttled (its X-RateLimit-Remaining pacing keeps it within the server's
        // window), and must not finish faster than the budget and the bucket's bank allow: the bank holds
        // FreshchatResilience.BurstWindow (3 s) of budget, 300 requests, so the other 300 take at least 3 s.
        await using var harness = await ClientHarness.StartAsync(new Dictionary<string, string?> { ["Freshchat:RequestsPerMinute"] = "6000", ["Freshchat:RateLimitHeadroom"] = "0" });
        harness.Emulator.Faults.RateLimitWindow = TimeSpan.FromSeconds(1);
        harness.Emulator.Faults.RateLimitPerMinute = 110;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 150; i++)
            {
                await harness.Client.GetAccountConfigurationAsync();
            }
        }));

        Assert.Equal(0, harness.Emulator.Requests.Throttled);
        Assert.Equal(600, harness.Emulator.Requests.Get("GET /v2/accounts/configuration"));
        var banked = FreshchatResilience.BurstWindow.TotalSeconds * 100;
        var atLeast = TimeSpan.FromSeconds((600 - banked) / 100);
        Assert.True(clock.Elapsed >= atLeast, $"600 requests in {clock.Elapsed}: faster than 100 per second after a bank of {banked}");
        Assert.Equal(600, harness.Metrics.RequestsSent);
    }
}
