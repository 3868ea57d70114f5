using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat.Webhooks;

/// <summary>The emulator's webhook sender against a real HTTP receiver on loopback: signing, order, retries, control.</summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#10")]
public sealed class WebhookDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Task<FreshchatEmulator> StartAsync(Uri? webhookUrl, TimeProvider? clock = null) =>
        FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions
        {
            Profile = EmulatorProfile.Default,
            Users = 40, ConversationsPerUser = 0.5, MessagesPerConversation = 3, TimeProvider = clock ?? new FakeTimeProvider(Now),
            WebhookUrl = webhookUrl, WebhookRetryDelay = TimeSpan.FromMilliseconds(20),
        });

    [Fact]
    public async Task AddMessageOverSandboxApi_WithUrl_PostsSignedMessageCreateAlreadyVisibleThroughTheApi()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartAsync(receiver.Url);
        using var http = new EmulatorHttp(emulator);
        var conversation = emulator.Data.EnumerateConversationIds().First();
        var visibleAtDelivery = false;
        receiver.OnReceived = async webhook =>
        {
            var messageId = (string)JsonNode.Parse(webhook.Body)!["data"]!["message"]!["id"]!;
            var page = await http.GetJsonAsync($"/v2/conversations/{conversation}/messages?items_per_page=5");
            visibleAtDelivery = page["messages"]!.AsArray().Any(m => (string?)m!["id"] == messageId);
        };

        using (var created = await http.SendJsonAsync(HttpMethod.Post, $"/_sandbox/conversations/{conversation}/messages", """{"text":"Merci 🙏","actor_type":"user"}"""))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var webhook = Assert.Single(await receiver.WaitForAsync(1, Wait));
        Assert.True(visibleAtDelivery, "the message was not yet served by GET /messages when the webhook arrived");
        Assert.Equal("application/json", webhook.ContentType);
        Assert.Equal("2", webhook.PayloadVersion);
        Assert.Equal("0", webhook.RetryCount);
        Assert.True(Verify(emulator.Webhooks.PublicKeyPem, webhook.Body, webhook.Signature!));
        var payload = JsonNode.Parse(webhook.Body)!;
        Assert.Equal("message_create", (string)payload["action"]!);
        Assert.Equal("Merci 🙏", (string)payload["data"]!["message"]!["message_parts"]![0]!["text"]!["content"]!);
        Assert.True(await emulator.Webhooks.WaitUntilIdleAsync(Wait));
        Assert.Equal((1, 1, 1, 0, 0), (emulator.Webhooks.Queued, emulator.Webhooks.Attempts, emulator.Webhooks.Delivered, emulator.Webhooks.Retried, emulator.Webhooks.Abandoned));
    }

    [Fact]
    public async Task FourMutationsOverSandboxApi_ArriveInOrderWithTheirActions()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartAsync(receiver.Url);
        using var http = new EmulatorHttp(emulator);
        var conversation = emulator.Data.EnumerateConversationIds().First();
        var agent = (string)emulator.Data.GetAgents()[0]["id"]!;

        foreach (var (path, body) in new[]
                 {
                     ($"/_sandbox/conversations/{conversation}/messages", """{"text":"hi","actor_type":"agent"}"""),
                     ($"/_sandbox/conversations/{conversation}/assign", $$"""{"agent_id":"{{agent}}"}"""),
                     ($"/_sandbox/conversations/{conversation}/resolve", "{}"),
                     ($"/_sandbox/conversations/{conversation}/reopen", "{}"),
                 })
        {
            using var response = await http.SendJsonAsync(HttpMethod.Post, path, body);
            Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}");
        }

        var received = await receiver.WaitForAsync(4, Wait);
        Assert.Equal(["message_create", "conversation_assignment", "conversation_resolution", "conversation_reopen"],
            received.Select(r => (string)JsonNode.Parse(r.Body)!["action"]!));
        Assert.All(received, r => Assert.True(Verify(emulator.Webhooks.PublicKeyPem, r.Body, r.Signature!)));
    }

    [Fact]
    public async Task Receiver503Twice_RetriesTheSameBodyAndSignatureWithRetryCounts012()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(503, 503);
        await using var emulator = await StartAsync(receiver.Url);

        emulator.Data.ResolveConversation(emulator.Data.EnumerateConversationIds().First());

        var received = await receiver.WaitForAsync(3, Wait);
        Assert.True(await emulator.Webhooks.WaitUntilIdleAsync(Wait));
        Assert.Equal(["0", "1", "2"], received.Select(r => r.RetryCount));
        Assert.All(received, r => Assert.Equal(received[0].Body, r.Body));
        Assert.All(received, r => Assert.Equal(received[0].Signature, r.Signature));
        Assert.Equal((1, 3, 1, 2, 0), (emulator.Webhooks.Queued, emulator.Webhooks.Attempts, emulator.Webhooks.Delivered, emulator.Webhooks.Retried, emulator.Webhooks.Abandoned));
    }

    [Fact]
    public async Task ReceiverAlwaysFailing_AbandonsAfterMaxRetriesAndDeliversTheNextEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(500, 502, 404);
        await using var emulator = await StartAsync(receiver.Url);
        emulator.Webhooks.MaxRetries = 2;
        var conversation = emulator.Data.EnumerateConversationIds().First();

        emulator.Data.ResolveConversation(conversation);
        emulator.Data.ReopenConversation(conversation);

        var received = await receiver.WaitForAsync(4, Wait);
        Assert.True(await emulator.Webhooks.WaitUntilIdleAsync(Wait));
        Assert.Equal(["0", "1", "2", "0"], received.Select(r => r.RetryCount));
        Assert.Equal("conversation_reopen", (string)JsonNode.Parse(received[3].Body)!["action"]!);
        Assert.Equal((2, 4, 1, 2, 1), (emulator.Webhooks.Queued, emulator.Webhooks.Attempts, emulator.Webhooks.Delivered, emulator.Webhooks.Retried, emulator.Webhooks.Abandoned));
    }

    [Fact]
    public async Task ReceiverHangs_AttemptTimesOutAndIsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(0);
        await using var emulator = await StartAsync(receiver.Url);
        emulator.Webhooks.AttemptTimeout = TimeSpan.FromMilliseconds(300);

        emulator.Data.AddMessage(emulator.Data.EnumerateConversationIds().First(), "are you there?");

        var received = await receiver.WaitForAsync(2, Wait);
        Assert.True(await emulator.Webhooks.WaitUntilIdleAsync(Wait));
        Assert.Equal(["0", "1"], received.Select(r => r.RetryCount));
        Assert.Equal((1, 1, 0), (emulator.Webhooks.Delivered, emulator.Webhooks.Retried, emulator.Webhooks.Abandoned));
    }

    [Fact]
    public async Task NoUrl_MutationsWorkAndNothingIsSentUntilAUrlIsSet()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartAsync(webhookUrl: null);
        var conversation = emulator.Data.EnumerateConversationIds().First();

        emulator.Data.AddMessage(conversation, "nobody listens");
        Assert.True(emulator.Data.ResolveConversation(conversation));
        Assert.True(await emulator.Webhooks.WaitUntilIdleAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, emulator.Webhooks.Queued);
        Assert.Equal("resolved", (string)emulator.Data.GetConversation(conversation)!["status"]!);

        emulator.Webhooks.TargetUrl = receiver.Url;
        emulator.Data.ReopenConversation(conversation);

        var webhook = Assert.Single(await receiver.WaitForAsync(1, Wait));
        Assert.Equal("conversation_reopen", (string)JsonNode.Parse(webhook.Body)!["action"]!);
        Assert.Equal(1, emulator.Webhooks.Queued);
    }

    [Fact]
    public async Task ControlEndpoint_PutThenGet_RoundTripsSettingsAndCounters()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartAsync(webhookUrl: null);
        using var http = new EmulatorHttp(emulator);

        var initial = (JsonObject)await http.GetJsonAsync("/_sandbox/webhooks");
        Assert.Null(initial["url"]);
        Assert.Equal(emulator.Webhooks.PublicKeyPem, (string)initial["public_key"]!);
        Assert.Equal(5, (int)initial["max_retries"]!);
        Assert.Equal(20, (double)initial["retry_delay_ms"]!);

        using (var put = await http.SendJsonAsync(HttpMethod.Put, "/_sandbox/webhooks", $$"""{"url":"{{receiver.Url}}","max_retries":1,"retry_delay_ms":5}"""))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(receiver.Url, emulator.Webhooks.TargetUrl);
        Assert.Equal(1, emulator.Webhooks.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(5), emulator.Webhooks.RetryDelay);

        receiver.Answer(503, 503);
        using (var resolve = await http.SendJsonAsync(HttpMethod.Post, $"/_sandbox/conversations/{emulator.Data.EnumerateConversationIds().First()}/resolve", "{}"))
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        await receiver.WaitForAsync(2, Wait);
        Assert.True(await emulator.Webhooks.WaitUntilIdleAsync(Wait));

        var counted = (JsonObject)await http.GetJsonAsync("/_sandbox/webhooks");
        Assert.Equal(receiver.Url.AbsoluteUri, (string)counted["url"]!);
        Assert.Equal((1, 0, 1, 1), ((int)counted["queued"]!, (int)counted["delivered"]!, (int)counted["retried"]!, (int)counted["abandoned"]!));

        using (var off = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/webhooks", """{"url":null}"""))
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Null(emulator.Webhooks.TargetUrl);
        Assert.Equal(1, emulator.Webhooks.MaxRetries);
    }

    [Theory]
    [InlineData("""{"url":"ftp://127.0.0.1/x"}""")]
    [InlineData("""{"url":"/relative"}""")]
    [InlineData("""{"max_retries":-1}""")]
    [InlineData("""{"retry_delay_ms":"soon"}""")]
    [InlineData("""{"secret":"x"}""")]
    public async Task ControlEndpoint_BadSetting_Answers400AndChangesNothing(string body)
    {
        await using var emulator = await StartAsync(webhookUrl: null);
        using var http = new EmulatorHttp(emulator);

        using var response = await http.SendJsonAsync(HttpMethod.Patch, "/_sandbox/webhooks", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(emulator.Webhooks.TargetUrl);
        Assert.Equal(5, emulator.Webhooks.MaxRetries);
    }

    /// <summary>What a receiver does with the key Freshchat's admin page shows: strip the armor, import SPKI, verify PKCS#1 SHA-256.</summary>
    internal static bool Verify(string pem, byte[] body, string signature)
    {
        var base64 = Regex.Replace(pem, @"-----(BEGIN|END) RSA PUBLIC KEY-----|\s", "");
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64), out _);
        return rsa.VerifyData(body, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
