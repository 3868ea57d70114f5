using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

/// <summary>The emulator tells which clients asked: requests per User-Agent, in-process and over /_sandbox/requests (#19).</summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class RequestLogTests
{
    [Fact]
    public async Task Requests_AreCountedPerUserAgent_WithFirstAndLastSeen_AndServedUnderSandboxRequests()
    {
        await using var emulator = await FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions { Profile = EmulatorProfile.Default, Users = 5 });
        using var http = new EmulatorHttp(emulator);
        var before = DateTimeOffset.UtcNow;
        foreach (var agent in new[] { "freshchat-stream/1.2.3 (pod-a)", "freshchat-stream/1.2.3 (pod-a)", "freshchat-stream/1.2.3 (pod-b)" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/agents");
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
            using var response = await http.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        using (var anonymous = await http.GetAsync("/v2/groups"))
        {
            anonymous.EnsureSuccessStatusCode();
        }

        var tally = emulator.Requests.ByUserAgent();
        Assert.Equal(2, tally["freshchat-stream/1.2.3 (pod-a)"].Requests);
        Assert.Equal(1, tally["freshchat-stream/1.2.3 (pod-b)"].Requests);
        Assert.InRange(tally["freshchat-stream/1.2.3 (pod-a)"].First, before, tally["freshchat-stream/1.2.3 (pod-a)"].Last);
        Assert.Equal(4, tally.Values.Sum(t => t.Requests));

        var served = (await http.GetJsonAsync("/_sandbox/requests"))["by_user_agent"]!;
        Assert.Equal(2, (long)served["freshchat-stream/1.2.3 (pod-a)"]!["requests"]!);
        Assert.Equal(1, (long)served["freshchat-stream/1.2.3 (pod-b)"]!["requests"]!);
        Assert.NotNull((string?)served["freshchat-stream/1.2.3 (pod-b)"]!["first"]);

        using (await http.Client.DeleteAsync("/_sandbox/requests"))
        {
        }

        Assert.Empty(emulator.Requests.ByUserAgent());
    }
}
