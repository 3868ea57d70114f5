using System.Net;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
public sealed class FaultInjectionTests
{
    private const string Config = "/v2/accounts/configuration";

    private static Task<FreshchatEmulator> StartAsync(TimeProvider? time = null) =>
        FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions { Profile = EmulatorProfile.Default, Users = 50, MessagesPerConversation = 4, TimeProvider = time });

    [Fact]
    public async Task RateLimit_OverBudget_Answers429WithRetryAfterAndRateLimitHeaders()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 10, TimeSpan.Zero));
        await using var emulator = await StartAsync(clock);
        emulator.Faults.RateLimitPerMinute = 3;
        using var http = new EmulatorHttp(emulator);
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetAsync(Config);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.Equal((2 - i).ToString(), ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
        using var throttled = await http.GetAsync(Config);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(50), throttled.Headers.RetryAfter!.Delta);
        Assert.Equal("0", throttled.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(), throttled.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal(429, (int)(await EmulatorHttp.ReadObjectAsync(throttled))["code"]!);
        Assert.Equal(1, emulator.Requests.Throttled);

        clock.Advance(TimeSpan.FromSeconds(50));
        using var recovered = await http.GetAsync(Config);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task RateLimit_HeadersAndRetryAfterSwitchedOff_AreAbsent()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.RateLimitPerMinute = 1;
        emulator.Behaviour.SendRetryAfter = false;
        emulator.Behaviour.SendRateLimitHeaders = false;
        using var http = new EmulatorHttp(emulator);
        using var ok = await http.GetAsync(Config);
        Assert.False(ok.Headers.Contains("X-RateLimit-Limit"));
        using var throttled = await http.GetAsync(Config);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Null(throttled.Headers.RetryAfter);
    }

    [Fact]
    public async Task Enqueue_FaultsHitOnlyMatchingRequestsInOrder()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.RetryAfterSeconds = 7;
        emulator.Faults.Enqueue(FaultKind.ServiceUnavailable, "/agents", 2);
        emulator.Faults.Enqueue(FaultKind.TooManyRequests, "/agents");
        using var http = new EmulatorHttp(emulator);
        using (var other = await http.GetAsync(Config)) Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        using (var first = await http.GetAsync("/v2/agents")) Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        using (var second = await http.GetAsync("/v2/agents")) Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        using (var third = await http.GetAsync("/v2/agents"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), third.Headers.RetryAfter!.Delta);
            Assert.True(third.Headers.Contains("X-RateLimit-Reset"));
        }
        using (var fourth = await http.GetAsync("/v2/agents")) Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        Assert.Equal(0, emulator.Faults.PendingQueuedFaults);
    }

    [Theory]
    [InlineData(FaultKind.MalformedJson)]
    [InlineData(FaultKind.TruncatedJson)]
    public async Task Enqueue_BrokenBodies_Are200WithInvalidJson(FaultKind kind)
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Enqueue(kind);
        using var http = new EmulatorHttp(emulator);
        using var response = await http.GetAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(text));
    }

    [Fact]
    public async Task Enqueue_ServerErrorAndUnauthorized_UseErrorObject()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Enqueue(FaultKind.ServerError);
        emulator.Faults.Enqueue(FaultKind.Unauthorized);
        using var http = new EmulatorHttp(emulator);
        using var error = await http.GetAsync(Config);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(500, (int)(await EmulatorHttp.ReadObjectAsync(error))["code"]!);
        using var unauthorized = await http.GetAsync(Config);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task Enqueue_Timeout_HoldsUntilClientGivesUp()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Enqueue(FaultKind.Timeout);
        using var http = new EmulatorHttp(emulator);
        http.Client.Timeout = TimeSpan.FromMilliseconds(300);
        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync(Config));
        http.Client.CancelPendingRequests();
    }

    [Fact]
    public async Task Faults_NeverApplyToSandboxApi()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Fraction5xx = 1.0;
        using var http = new EmulatorHttp(emulator);
        using var stats = await http.GetAsync("/_sandbox/stats");
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        using var api = await http.GetAsync(Config);
        Assert.True((int)api.StatusCode >= 500);
    }

    [Fact]
    public async Task RandomFaults_SameSeedAndOrder_GiveSameSequence()
    {
        async Task<List<int>> RunAsync()
        {
            await using var emulator = await StartAsync();
            emulator.Faults.Fraction429 = 0.2;
            emulator.Faults.Fraction5xx = 0.2;
            using var http = new EmulatorHttp(emulator);
            var codes = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await http.GetAsync(Config);
                codes.Add((int)response.StatusCode);
            }
            return codes;
        }

        var first = await RunAsync();
        Assert.Equal(first, await RunAsync());
        Assert.Contains(200, first);
        Assert.Contains(429, first);
    }

    [Fact]
    public async Task RequestCounter_CountsPerRouteTemplate()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        var user = emulator.Data.EnumerateUsers().First();
        (await http.GetAsync($"/v2/users/{user["id"]}")).Dispose();
        (await http.GetAsync($"/v2/users/{user["id"]}")).Dispose();
        (await http.GetAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z")).Dispose();
        (await http.GetAsync("/_sandbox/stats")).Dispose();
        Assert.Equal(2, emulator.Requests.Get("GET /v2/users/{id}"));
        Assert.Equal(1, emulator.Requests.Get("GET /v2/users"));
        Assert.Equal(3, emulator.Requests.Total);
        emulator.Requests.Reset();
        Assert.Equal(0, emulator.Requests.Total);
    }

    [Fact]
    public async Task FaultsOverSandboxApi_QueueAndClear()
    {
        await using var emulator = await StartAsync();
        using var http = new EmulatorHttp(emulator);
        using (var queued = await http.SendJsonAsync(HttpMethod.Post, "/_sandbox/faults/queue", """{"kind":"ServiceUnavailable","path_contains":"/roles","count":1}"""))
            Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        using (var hit = await http.GetAsync("/v2/roles")) Assert.Equal(HttpStatusCode.ServiceUnavailable, hit.StatusCode);
        using (var set = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/faults", """{"rate_limit_per_minute": 10, "latency_ms": 5}"""))
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(10, emulator.Faults.RateLimitPerMinute);
        Assert.Equal(TimeSpan.FromMilliseconds(5), emulator.Faults.Latency);
        using (var more = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/faults", """{"rate_limit_per_minute": null, "fraction5xx": 0.5, "rate_limit_window_seconds": 2}"""))
            Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        Assert.Null(emulator.Faults.RateLimitPerMinute);
        Assert.Equal(0.5, emulator.Faults.Fraction5xx);
        Assert.Equal(TimeSpan.FromSeconds(2), emulator.Faults.RateLimitWindow);
        (await http.Client.DeleteAsync("/_sandbox/faults")).Dispose();
        Assert.Equal(0, emulator.Faults.Fraction5xx);
        Assert.Null(emulator.Faults.RateLimitPerMinute);
    }
}
