using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Integration.Capture;
using static FreshchatStream.Tests.Integration.Webhooks.WebhookRunTests;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// Webhooks with <c>Accounts:*</c>: one route per account, <c>{Webhooks:Path}/{account}</c>, verified with the account's
/// key (the top-level one when unset), published with its <c>__account</c> and signalled in its Redis namespace.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class AccountWebhookTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_WebhookToAnAccountsRoute_ThatAccountsCapturerPollsTheConversation_UnknownAccount404_BadSignature401()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 29);
        var (scenario, alpha, beta, second) = accounts;
        using var shared = RSA.Create(2048);
        using var betaKey = RSA.Create(2048);
        var endpoint = Configure(scenario, shared); // 60 s poll interval: only the signal explains a prompt capture
        scenario.Settings[$"Accounts:{beta}:Webhooks:PublicKey"] =
            $"-----BEGIN RSA PUBLIC KEY----- {Convert.ToBase64String(betaKey.ExportSubjectPublicKeyInfo())} -----END RSA PUBLIC KEY-----";
        using var stop = new CancellationTokenSource();
        var run = accounts.RunUntilAsync(stop.Token);
        HttpStatusCode pushed, unknown, badSignature, fallback;
        TimeSpan latency;
        string messageId;
        try
        {
            await WaitUntilAsync(() => run.IsCompleted || scenario.Read(CaptureCatalogue.HeartbeatTopic).Any(r => r.Headers["ce_source"] == $"freshchat-stream/{beta}"),
                $"{beta}'s first cycle");
            if (run.IsCompleted)
            {
                Assert.Fail($"run ended early: {await run}");
            }

            var conversationId = second.Data.EnumerateConversationIds().First();
            messageId = second.Data.AddMessage(conversationId, $"pushed to {beta}");
            var body = MessageCreate(conversationId, messageId);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var betaRoute = new Uri($"{endpoint}/{beta}");
            badSignature = await PostAsync(http, betaRoute, body, Sign(shared, body), retryCount: 0); // beta has its own key
            unknown = await PostAsync(http, new Uri($"{endpoint}/nobody"), body, Sign(shared, body), retryCount: 0);
            var clock = Stopwatch.StartNew();
            pushed = await PostAsync(http, betaRoute, body, Sign(betaKey, body), retryCount: 0);
            await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the pushed message in Kafka");
            latency = clock.Elapsed;
            var alphaBody = MessageCreate(scenario.Freshchat.Data.EnumerateConversationIds().First(), "m-alpha-unknown");
            fallback = await PostAsync(http, new Uri($"{endpoint}/{alpha}"), alphaBody, Sign(shared, alphaBody), retryCount: 0);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, badSignature);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.OK, pushed);
        Assert.Equal(HttpStatusCode.OK, fallback); // alpha has no key of its own: the top-level one verifies
        Assert.True(latency < TimeSpan.FromSeconds(10), $"the message took {latency.TotalSeconds:F2} s at a 60 s poll interval");
        var message = Assert.Single(scenario.Read(CaptureCatalogue.MessagesTopic), r => r.Id == messageId);
        Assert.Equal(beta, (string)message.Value!["__account"]);
        var events = scenario.Read(CaptureCatalogue.WebhookEventsTopic);
        Assert.Equal(2, events.Count);
        Assert.Equal(beta, (string)Assert.Single(events, e => e.Column<string>("message_id") == messageId).Value!["__account"]);
        Assert.Equal(alpha, (string)Assert.Single(events, e => e.Column<string>("message_id") == "m-alpha-unknown").Value!["__account"]);
        Assert.True(await stack.Redis.Connection.GetDatabase().KeyExistsAsync($"{scenario.KeyPrefix}:{beta}:webhook:acked:{events.Single(e => e.Column<string>("message_id") == messageId).Id}"));
    }
}
