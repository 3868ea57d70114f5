using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Webhooks;

/// <summary>
/// <c>run</c> with <c>Webhooks:Enabled</c> at a 60-second poll interval: what the endpoint answers, what reaches
/// <c>webhook_events</c>, and how fast a pushed conversation's new message reaches Kafka.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebhookRunTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_SignedWebhook_IsPublishedOnceAndItsConversationRefreshedWithinSeconds_WhileBadRequestsAreRefused()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        using var key = RSA.Create(2048);
        var endpoint = Configure(scenario, key);
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var conversationId = scenario.Freshchat.Data.EnumerateConversationIds().First();
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.HeartbeatTopic).Count >= 1, "the end of the first cycle"); // then no poll for 60 s

        var messageId = scenario.Freshchat.Data.AddMessage(conversationId, "pushed, not polled");
        var body = MessageCreate(conversationId, messageId);
        var requests = scenario.Freshchat.Requests;
        var (conversationReads, messageReads) = (requests.Get("GET /v2/conversations/{id}"), requests.Get("GET /v2/conversations/{id}/messages"));
        var posted = DateTimeOffset.UtcNow;
        var first = await PostAsync(http, endpoint, body, Sign(key, body), retryCount: 0);
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the pushed message in Kafka");
        // Measured to the record's produce time, not to when this test's reader found it: reading the topic back
        // under a loaded CI machine is not the producer's latency.
        var latency = scenario.Read(CaptureCatalogue.MessagesTopic).First(r => r.Id == messageId).Timestamp - posted;
        // A message in a known conversation costs one request: its new messages; the conversation keeps its schedule.
        Assert.Equal(conversationReads, requests.Get("GET /v2/conversations/{id}"));
        Assert.Equal(messageReads + 1, requests.Get("GET /v2/conversations/{id}/messages"));
        var retried = await PostAsync(http, endpoint, body, Sign(key, body), retryCount: 1);

        var unsigned = await PostAsync(http, endpoint, body, signature: null, retryCount: 0);
        var forged = await PostAsync(http, endpoint, body, Sign(RSA.Create(2048), body), retryCount: 0);
        var tampered = await PostAsync(http, endpoint, body.Replace("pushed", "PUSHED", StringComparison.Ordinal), Sign(key, body), retryCount: 0);
        var malformed = await PostAsync(http, endpoint, "[1,2,3]", Sign(key, "[1,2,3]"), retryCount: 0);
        var huge = new string('x', 70_000);
        var oversized = await PostAsync(http, endpoint, huge, Sign(key, huge), retryCount: 0);
        var webhookEvents = scenario.Read(CaptureCatalogue.WebhookEventsTopic);
        await stop.CancelAsync();
        var result = await running;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.True(latency < TimeSpan.FromSeconds(3), $"the message took {latency.TotalSeconds:F2} s at a 60 s poll interval");
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned);
        Assert.Equal(HttpStatusCode.Unauthorized, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered);
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized);
        var webhookEvent = Assert.Single(webhookEvents); // the retry was not published again
        Assert.Equal("message_create", webhookEvent.Column<string>("action"));
        Assert.Equal(conversationId, webhookEvent.Column<string>("conversation_id"));
        Assert.Equal(messageId, webhookEvent.Column<string>("message_id"));
        Assert.Equal("user", webhookEvent.Column<string>("actor_type"));
        Assert.Equal("2", webhookEvent.Column<string>("payload_version"));
        Assert.Equal(body, webhookEvent.Column<string>("payload"));
        Assert.Equal("c", webhookEvent.Op);
    }

    [Fact]
    public async Task Run_KafkaDown_Answers503ThenAcceptsTheRetryOnceKafkaIsBack()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        using var key = RSA.Create(2048);
        var endpoint = Configure(scenario, key);
        scenario.Settings["Webhooks:AckTimeout"] = "00:00:02";
        scenario.Settings["Kafka:DeliveryTimeout"] = "00:00:30";
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var conversationId = scenario.Freshchat.Data.EnumerateConversationIds().First();
        await WaitUntilCapturedAsync(scenario, conversationId);
        var body = MessageCreate(conversationId, scenario.Freshchat.Data.AddMessage(conversationId, "while Kafka is down"));

        HttpStatusCode whileDown;
        stack.Kafka.SetBrokerDown(1);
        try
        {
            whileDown = await PostAsync(http, endpoint, body, Sign(key, body), retryCount: 0);
        }
        finally
        {
            stack.Kafka.SetBrokerUp(1);
        }

        var afterwards = await RetryUntilOkAsync(http, endpoint, body, Sign(key, body));
        var webhookEvents = scenario.Read(CaptureCatalogue.WebhookEventsTopic);
        await stop.CancelAsync();
        var result = await running;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown);
        Assert.Equal(HttpStatusCode.OK, afterwards);
        // At least once: the record produced while the broker was down may still have been delivered after it came
        // back, next to the retry's; both carry the same __event_id, which is what consumers deduplicate on.
        Assert.NotEmpty(webhookEvents);
        Assert.Single(webhookEvents.Select(e => e.EventId).Distinct());
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Run_EmulatorWebhooks_NewMessagesReachKafkaWithinThreeSecondsAtASixtySecondPollInterval()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var endpoint = Configure(scenario, scenario.Freshchat.Webhooks.PublicKeyPem);
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        var conversations = scenario.Freshchat.Data.EnumerateConversationIds().Take(3).ToList();
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.ConversationsTopic).Select(r => r.Id).Intersect(conversations).Count() == 3,
            "the first cycle to capture the conversations");
        scenario.Freshchat.Webhooks.TargetUrl = endpoint;

        var latencies = new List<TimeSpan>();
        foreach (var conversationId in conversations)
        {
            var mutated = DateTimeOffset.UtcNow;
            var messageId = scenario.Freshchat.Data.AddMessage(conversationId, $"pushed to {conversationId}");
            await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the pushed message in Kafka");
            latencies.Add(scenario.Read(CaptureCatalogue.MessagesTopic).First(r => r.Id == messageId).Timestamp - mutated); // to its produce time
        }

        scenario.Freshchat.Data.ResolveConversation(conversations[0]);
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.ConversationsTopic).Any(r => r.Id == conversations[0] && r.Column<string>("status") == "resolved"),
            "the pushed resolution in Kafka");
        Assert.True(await scenario.Freshchat.Webhooks.WaitUntilIdleAsync(TimeSpan.FromSeconds(10)));
        var webhookEvents = scenario.Read(CaptureCatalogue.WebhookEventsTopic);
        await stop.CancelAsync();
        var result = await running;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(latencies, latency => Assert.True(latency < TimeSpan.FromSeconds(3),
            $"mutation to Kafka took {string.Join(", ", latencies.Select(l => $"{l.TotalSeconds:F2} s"))} at a 60 s poll interval"));
        Assert.Equal(4, webhookEvents.Count);
        Assert.Equal(3, webhookEvents.Count(e => e.Column<string>("action") == "message_create"));
        Assert.Single(webhookEvents, e => e.Column<string>("action") == "conversation_resolution" && e.Column<string>("conversation_id") == conversations[0]);
        Assert.Equal(4L, scenario.Freshchat.Webhooks.Delivered);
        Assert.Equal(0L, scenario.Freshchat.Webhooks.Abandoned);
    }

    [Fact]
    public async Task Run_HealthyWebhooks_ChangedUsersAreNotReadForNewConversations_UntilThenTheyAre()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var endpoint = Configure(scenario, scenario.Freshchat.Webhooks.PublicKeyPem);
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        var data = scenario.Freshchat.Data;
        var users = data.EnumerateUsers().Select(u => (string)u["id"]!).Take(2).ToList();
        var conversationId = data.EnumerateConversationIds().First();
        await WaitUntilCapturedAsync(scenario, conversationId);

        var beforeWebhooks = await ConversationListReadsAfterEditAsync(scenario, users[0]);
        scenario.Freshchat.Webhooks.TargetUrl = endpoint;
        var messageId = data.AddMessage(conversationId, "makes webhooks healthy");
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the pushed message in Kafka");
        var withWebhooks = await ConversationListReadsAfterEditAsync(scenario, users[1]);
        await stop.CancelAsync();
        var result = await running;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, beforeWebhooks);
        Assert.Equal(0, withWebhooks); // message_create and the Conversation-Created report announce its new conversations
    }

    /// <summary>Edits a user, waits for its <c>u</c> and two more cycles, and counts the conversation-list reads meanwhile.</summary>
    private static async Task<long> ConversationListReadsAfterEditAsync(CaptureScenario scenario, string userId)
    {
        static long Reads(CaptureScenario scenario) =>
            scenario.Freshchat.Requests.Snapshot().Where(p => p.Key.StartsWith("GET /v2/users/", StringComparison.Ordinal) && p.Key.EndsWith("/conversations", StringComparison.Ordinal)).Sum(p => p.Value);

        var before = Reads(scenario);
        scenario.Freshchat.Data.UpdateUser(userId, lastName: $"Edited{Guid.NewGuid():N}");
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.UsersTopic).Any(r => r.Id == userId && r.Op == "u"), "the user's update in Kafka");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        return Reads(scenario) - before;
    }

    [Fact]
    public async Task Run_WebhooksEnabledButNoneArrive_PollingThatFindsNewMessagesWarnsOfAGap_WithoutLoggingBodies()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        using var key = RSA.Create(2048);
        var endpoint = Configure(scenario, key);
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        scenario.Settings["Webhooks:GapWarningAfter"] = "00:00:01";
        scenario.Settings["Logging:LogLevel:Default"] = "Trace";
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var child = scenario.StartChild(null, output.Enqueue, "run");
        try
        {
            var conversationId = scenario.Freshchat.Data.EnumerateConversationIds().First();
            await WaitUntilCapturedAsync(scenario, conversationId);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var refused = MessageCreate(conversationId, "refused-body-marker");
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, endpoint, refused, Sign(RSA.Create(2048), refused), retryCount: 0));

            // Freshchat was never given the URL: only polling sees this message.
            var messageId = scenario.Freshchat.Data.AddMessage(conversationId, "nobody pushed this");
            await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the polled message in Kafka");
            await WaitUntilAsync(() => output.Any(line => line.Contains("Webhook gap", StringComparison.Ordinal)), "the gap warning");
        }
        finally
        {
            PosixSignals.Terminate(child.Id);
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            child.WaitForExit();
        }

        Assert.Equal(0, child.ExitCode);
        var gap = Assert.Single(output, line => line.Contains("Webhook gap", StringComparison.Ordinal));
        Assert.Contains("none since start", gap, StringComparison.Ordinal);
        Assert.Contains(output, line => line.Contains("Webhook refused (bad_signature)", StringComparison.Ordinal));
        Assert.DoesNotContain(output, line => line.Contains("refused-body-marker", StringComparison.Ordinal));
    }

    internal static Uri Configure(CaptureScenario scenario, RSA key) =>
        Configure(scenario, $"-----BEGIN RSA PUBLIC KEY----- {Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())} -----END RSA PUBLIC KEY-----");

    internal static Uri Configure(CaptureScenario scenario, string publicKeyPem)
    {
        var port = FreePort.Next();
        scenario.Settings["Capture:PollInterval"] = "00:01:00";
        scenario.Settings["Webhooks:Enabled"] = "true";
        scenario.Settings["Webhooks:Listen"] = $"http://127.0.0.1:{port}";
        scenario.Settings["Webhooks:MaxBodyBytes"] = "65536";
        scenario.Settings["Webhooks:PublicKey"] = publicKeyPem;
        return new Uri($"http://127.0.0.1:{port}/webhooks/freshchat");
    }

    internal static string MessageCreate(string conversationId, string messageId) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["actor"] = new System.Text.Json.Nodes.JsonObject { ["actor_type"] = "user", ["actor_id"] = "u-1" },
            ["action"] = "message_create",
            ["action_time"] = "2026-11-30T10:00:00.000Z",
            ["data"] = new System.Text.Json.Nodes.JsonObject
            {
                ["message"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = messageId, ["conversation_id"] = conversationId, ["actor_type"] = "user",
                    ["message_parts"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["text"] = new System.Text.Json.Nodes.JsonObject { ["content"] = "pushed" } }),
                },
            },
        }.ToJsonString();

    internal static string Sign(RSA key, string body) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    internal static async Task<HttpStatusCode> PostAsync(HttpClient http, Uri endpoint, string body, string? signature, int retryCount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("X-Freshchat-Signature", signature);
        }

        request.Headers.Add("X-Freshchat-Payload-Version", "2");
        request.Headers.Add("X-Retry-Count", retryCount.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>What Freshchat does after a 503: retry the same body with a higher X-Retry-Count.</summary>
    internal static async Task<HttpStatusCode> RetryUntilOkAsync(HttpClient http, Uri endpoint, string body, string signature)
    {
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 1; attempt <= 15 && status != HttpStatusCode.OK; attempt++)
        {
            status = await PostAsync(http, endpoint, body, signature, attempt);
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(1000);
            }
        }

        return status;
    }

    private static Task WaitUntilCapturedAsync(CaptureScenario scenario, string conversationId) =>
        WaitUntilAsync(() => scenario.Read(CaptureCatalogue.ConversationsTopic).Any(r => r.Id == conversationId), "the first cycle to capture the conversation");

    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(250);
        }
    }
}
