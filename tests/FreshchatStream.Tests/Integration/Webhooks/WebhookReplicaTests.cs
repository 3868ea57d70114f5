using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using static FreshchatStream.Tests.Integration.Webhooks.WebhookRunTests;

namespace FreshchatStream.Tests.Integration.Webhooks;

/// <summary>
/// Webhooks on any replica (issue #19): two <c>run</c> instances of one account sharing Redis, only one of them
/// capturing conversations, each serving the webhook endpoint; and the answer when Redis is down.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
public sealed class WebhookReplicaTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_WebhookToAnInstanceThatDoesNotCapture_TheCapturerPollsAtOnce_AndARetryToTheOtherReplicaIsNotPublishedAgain()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        using var key = RSA.Create(2048);
        using var stop = new CancellationTokenSource();
        var capturerEndpoint = Configure(scenario, key); // 60 s poll interval
        var capturer = scenario.RunAsync(stop.Token, "run");
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.HeartbeatTopic).Count >= 1, "the capturer's first cycle");

        // The other replica: same account, same Redis namespace, no conversation capture of its own.
        var ingressEndpoint = Configure(scenario, key);
        scenario.Settings["Capture:Resources"] = "groups";
        var ingress = scenario.RunAsync(stop.Token, "run");
        await WaitUntilListeningAsync(ingressEndpoint);

        var conversationId = scenario.Freshchat.Data.EnumerateConversationIds().First();
        var messageId = scenario.Freshchat.Data.AddMessage(conversationId, "pushed to the other replica");
        var body = MessageCreate(conversationId, messageId);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var first = await PostAsync(http, ingressEndpoint, body, Sign(key, body), retryCount: 0);
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the pushed message in Kafka");
        var latency = clock.Elapsed;
        var retriedElsewhere = await PostAsync(http, capturerEndpoint, body, Sign(key, body), retryCount: 1);
        var webhookEvents = scenario.Read(CaptureCatalogue.WebhookEventsTopic);
        await stop.CancelAsync();
        var results = await Task.WhenAll(capturer, ingress);

        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.True(latency < TimeSpan.FromSeconds(10), $"the message took {latency.TotalSeconds:F2} s at a 60 s poll interval");
        Assert.Equal(HttpStatusCode.OK, retriedElsewhere);
        var webhookEvent = Assert.Single(webhookEvents); // the retry to the other replica was not published again
        Assert.Equal(messageId, webhookEvent.Column<string>("message_id"));
        Assert.False(await stack.Redis.Connection.GetDatabase().KeyExistsAsync($"{scenario.KeyPrefix}:signals")); // taken by the capturer
        Assert.True(await stack.Redis.Connection.GetDatabase().KeyExistsAsync($"{scenario.KeyPrefix}:webhook:acked:{webhookEvent.Id}"));
    }

    [Fact]
    public async Task Run_RedisDown_Answers503AndPublishesNothing_ThenAcceptsTheRetryOnceRedisIsBack()
    {
        var redis = new RedisServerFixture(); // its own server: stopping the shared one would disturb other tests
        await redis.InitializeAsync();
        try
        {
            await RedisDownAsync(redis);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    private async Task RedisDownAsync(RedisServerFixture redis)
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        using var key = RSA.Create(2048);
        var endpoint = Configure(scenario, key);
        scenario.Settings["Redis:Configuration"] = redis.Configuration;
        scenario.Settings["Webhooks:AckTimeout"] = "00:00:02";
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.HeartbeatTopic).Count >= 1, "the first cycle");
        var conversationId = scenario.Freshchat.Data.EnumerateConversationIds().First();
        var messageId = scenario.Freshchat.Data.AddMessage(conversationId, "while Redis is down");
        var body = MessageCreate(conversationId, messageId);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        redis.StopServer(keepData: true);
        HttpStatusCode whileDown;
        try
        {
            whileDown = await PostAsync(http, endpoint, body, Sign(key, body), retryCount: 0);
        }
        finally
        {
            await redis.StartServerAsync();
        }

        var publishedWhileDown = scenario.Read(CaptureCatalogue.WebhookEventsTopic).Count;
        var afterwards = await RetryUntilOkAsync(http, endpoint, body, Sign(key, body));
        await WaitUntilAsync(() => scenario.Read(CaptureCatalogue.MessagesTopic).Any(r => r.Id == messageId), "the pushed message in Kafka");
        var webhookEvents = scenario.Read(CaptureCatalogue.WebhookEventsTopic);
        await stop.CancelAsync();
        var result = await running;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown); // never 200 for a signal that was not recorded
        Assert.Equal(0, publishedWhileDown);
        Assert.Equal(HttpStatusCode.OK, afterwards);
        Assert.Single(webhookEvents);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static async Task WaitUntilListeningAsync(Uri endpoint) =>
        await WaitUntilAsync(() => ListeningSockets.On(endpoint.Port).Count > 0, $"an endpoint on port {endpoint.Port}");
}
