using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Cli;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Sandbox.Cli;

/// <summary><c>freshchat-sandbox freshchat</c> as docker-compose runs it: only the Freshchat emulator, on every interface.</summary>
[Trait("Category", "Integration")]
public sealed class SandboxFreshchatProcessTests
{
    [Fact]
    public async Task Freshchat_ComposeStyleArguments_ServesWithTheGivenKeyThenExitsZeroOnSigterm()
    {
        var port = FreePort.Next();
        var apiKey = "compose-key-" + Guid.NewGuid().ToString("N")[..8];
        using var sandbox = SandboxProcess.Start(
            "freshchat", "--listen", "0.0.0.0", "--freshchat-port", port.ToString(), "--users", "2000", "--api-key", apiKey);

        var settings = await sandbox.ReadSettingsAsync(2, TimeSpan.FromSeconds(60));

        Assert.Equal(
            [new("Freshchat__BaseUrl", $"http://127.0.0.1:{port}/v2"), new("Freshchat__ApiKey", apiKey)],
            settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        // The compose health check's request, then a list with its envelope.
        using (var configuration = await http.GetAsync("/v2/accounts/configuration"))
        {
            Assert.Equal(HttpStatusCode.OK, configuration.StatusCode);
        }

        var users = JsonNode.Parse(await http.GetStringAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=10"))!;
        Assert.Equal(10, users["users"]!.AsArray().Count);
        Assert.Equal(2000, (int)users["pagination"]!["total_items"]!);

        using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/v2/agents"))
        {
            wrongKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sandbox-api-key");
            using var refused = await http.SendAsync(wrongKey);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var exitCode = await sandbox.TerminateAsync(TimeSpan.FromSeconds(20));

        Assert.True(exitCode == ExitCodes.Ok, $"exit code {exitCode}; stderr:\n{sandbox.Errors}");
        Assert.Equal(2, sandbox.OutputLines.Count);
    }
}
