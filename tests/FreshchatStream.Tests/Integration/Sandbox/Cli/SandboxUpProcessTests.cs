using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using FreshchatStream.Sandbox.Cli;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Sandbox.Freshchat.Webhooks;
using FreshchatStream.Tests.Integration.Sandbox.Kafka;

namespace FreshchatStream.Tests.Integration.Sandbox.Cli;

/// <summary>
/// <c>freshchat-sandbox up</c> as a user runs it: a separate process whose printed settings are all a client gets,
/// so the mock cluster must serve Kafka clients living in another process (this one).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SandboxUpProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Up_FiftyUsers_PrintsSixSettingsThatServeKafkaFreshchatAndRegistryThenExitsZeroOnSigterm()
    {
        var topic = "sandbox-cli-" + Guid.NewGuid().ToString("N");
        using var sandbox = SandboxProcess.Start("up", "--users", "50", "--topics", topic, "--partitions", "2");

        var settings = await sandbox.ReadSettingsAsync(6, StartTimeout);

        Assert.Equal(["Freshchat__BaseUrl", "Freshchat__ApiKey", "Kafka__BootstrapServers", "SchemaRegistry__Url", "Webhooks__PublicKey", "Freshchat__RequestsPerMinute"],
            settings.Select(s => s.Key));
        var values = settings.ToDictionary(s => s.Key, s => s.Value);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/v2$", values["Freshchat__BaseUrl"]);
        Assert.Equal("sandbox-api-key", values["Freshchat__ApiKey"]);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", values["Kafka__BootstrapServers"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", values["SchemaRegistry__Url"]);
        Assert.Matches(@"^-----BEGIN RSA PUBLIC KEY----- MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A[A-Za-z0-9+/=]+ -----END RSA PUBLIC KEY-----$", values["Webhooks__PublicKey"]);
        Assert.Equal("100000", values["Freshchat__RequestsPerMinute"]); // the emulator limits nothing by default: the producer's maximum

        // Without --listen every listener is bound to loopback only, whatever the URLs say.
        foreach (var port in new[] { new Uri(values["Freshchat__BaseUrl"]).Port, new Uri(values["SchemaRegistry__Url"]).Port, int.Parse(values["Kafka__BootstrapServers"].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) })
        {
            Assert.Equal([IPAddress.Loopback], ListeningSockets.On(port));
        }

        await AssertKafkaRoundTripAsync(values["Kafka__BootstrapServers"], topic);
        await AssertAgentsEnvelopeAsync(values["Freshchat__BaseUrl"], values["Freshchat__ApiKey"]);
        await AssertSchemaRegistrationAsync(values["SchemaRegistry__Url"], topic);

        var exitCode = await sandbox.TerminateAsync(StopTimeout);

        Assert.True(exitCode == ExitCodes.Ok, $"exit code {exitCode}; stderr:\n{sandbox.Errors}");
        Assert.Equal(6, sandbox.OutputLines.Count);
        Assert.Contains("freshchat-sandbox: stopped.", sandbox.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ThreeBrokersOnFixedPorts_PrintsEveryBrokerAndTheRequestedPorts()
    {
        var freshchatPort = FreePort.Next();
        var registryPort = FreePort.Next();
        using var sandbox = SandboxProcess.Start(
            "up", "--users", "20", "--brokers", "3", "--api-key", "cli-test-key",
            "--freshchat-port", freshchatPort.ToString(), "--schema-registry-port", registryPort.ToString());

        var values = (await sandbox.ReadSettingsAsync(6, StartTimeout)).ToDictionary(s => s.Key, s => s.Value);

        Assert.Equal($"http://127.0.0.1:{freshchatPort}/v2", values["Freshchat__BaseUrl"]);
        Assert.Equal("cli-test-key", values["Freshchat__ApiKey"]);
        Assert.Equal($"http://127.0.0.1:{registryPort}", values["SchemaRegistry__Url"]);
        var brokers = values["Kafka__BootstrapServers"].Split(',');
        Assert.Equal(3, brokers.Distinct().Count());
        Assert.All(brokers, broker => Assert.Matches(@"^127\.0\.0\.1:\d+$", broker));

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = values["Kafka__BootstrapServers"] }).Build())
        {
            Assert.Equal(3, admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Count);
        }

        Assert.Equal(ExitCodes.Ok, await sandbox.TerminateAsync(StopTimeout));
    }

    [Fact]
    [Trait("Issue", "#10")]
    public async Task Up_WebhookUrl_MutationPostsAWebhookSignedWithThePrintedKey()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sandbox = SandboxProcess.Start("up", "--users", "20", "--webhook-url", receiver.Url.AbsoluteUri);
        var values = (await sandbox.ReadSettingsAsync(6, StartTimeout)).ToDictionary(s => s.Key, s => s.Value);
        var root = new Uri(values["Freshchat__BaseUrl"]).GetLeftPart(UriPartial.Authority);

        using (var http = new HttpClient { BaseAddress = new Uri(root), Timeout = TimeSpan.FromSeconds(20) })
        {
            using var newUser = await http.PostAsync("/_sandbox/users", new StringContent("""{"first_name":"Hook"}""", Encoding.UTF8, "application/json"));
            var user = (string)JsonNode.Parse(await newUser.Content.ReadAsStringAsync())!["id"]!;
            using var created = await http.PostAsync("/_sandbox/conversations", new StringContent($$"""{"user_id":"{{user}}"}""", Encoding.UTF8, "application/json"));
            var conversation = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["conversation_id"]!;
            using var resolved = await http.PostAsync($"/_sandbox/conversations/{conversation}/resolve", null);
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        var webhook = Assert.Single(await receiver.WaitForAsync(1, StartTimeout));
        Assert.Equal("conversation_resolution", (string)JsonNode.Parse(webhook.Body)!["action"]!);
        Assert.True(WebhookDeliveryTests.Verify(values["Webhooks__PublicKey"], webhook.Body, webhook.Signature!));
        Assert.Contains($"webhooks to {receiver.Url}", sandbox.Errors, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, await sandbox.TerminateAsync(StopTimeout));
    }

    [Fact]
    public async Task Up_BadArgument_ExitsTwoWithOneLineNamingTheHelpAndNoStackTrace()
    {
        using var sandbox = SandboxProcess.Start("up", "--brokers", "many");

        var (exitCode, output) = await sandbox.WaitForExitAsync(StartTimeout);
        await Task.Delay(200); // stderr is read by events; let the last lines land.

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output);
        Assert.Equal("error: option '--brokers' expects a whole number, got 'many' Run 'freshchat-sandbox up --help' for usage.", sandbox.Errors.Trim());
        Assert.DoesNotContain("   at ", sandbox.Errors, StringComparison.Ordinal);
    }

    private static async Task AssertKafkaRoundTripAsync(string bootstrapServers, string topic)
    {
        const int count = 20;
        using (var producer = new ProducerBuilder<string, string>(MockKafkaClients.IdempotentProducer(bootstrapServers)).Build())
        {
            var deliveries = Enumerable.Range(0, count).Select(i => producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = $"key-{i % 5}",
                Value = $"value-{i}",
                Headers = new Headers { { "ce_id", Encoding.UTF8.GetBytes($"id-{i}") } },
            }));
            var results = await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
            Assert.Equal([0, 1], results.Select(r => r.Partition.Value).Distinct().Order());
        }

        var groupId = "sandbox-cli-" + Guid.NewGuid().ToString("N");
        using var consumer = new ConsumerBuilder<string, string>(MockKafkaClients.GroupConsumer(bootstrapServers, groupId)).Build();
        consumer.Subscribe(topic);
        try
        {
            var received = MockKafkaClients.ConsumeUpTo(consumer, count, TimeSpan.FromSeconds(20));

            Assert.Equal(Enumerable.Range(0, count).Select(i => $"value-{i}").Order(), received.Select(r => r.Message.Value).Order());
            var offsets = received.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1))
                .ToList();
            consumer.Commit(offsets);
            var committed = consumer.Committed(offsets.Select(o => o.TopicPartition), TimeSpan.FromSeconds(10));
            Assert.Equal(offsets.Select(o => o.Offset.Value).Order(), committed.Select(c => c.Offset.Value).Order());
        }
        finally
        {
            consumer.Close();
        }
    }

    private static async Task AssertAgentsEnvelopeAsync(string baseUrl, string apiKey)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/agents?items_per_page=5");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        var agents = json["agents"]!.AsArray();
        Assert.Equal(5, agents.Count);
        Assert.All(agents, agent => Assert.False(string.IsNullOrEmpty((string?)agent!["id"])));
        var pagination = json["pagination"]!.AsObject();
        Assert.Equal(1, (int)pagination["current_page"]!);
        Assert.Equal(5, (int)pagination["items_per_page"]!);
        Assert.True((int)pagination["total_items"]! >= 5);
        Assert.StartsWith("/v2/agents?", (string?)json["links"]!["next_page"]!["href"], StringComparison.Ordinal);

        using var anonymous = await http.GetAsync($"{baseUrl}/agents");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static async Task AssertSchemaRegistrationAsync(string registryUrl, string topic)
    {
        const string schema = """{"type":"record","name":"CliCheck","namespace":"sandbox.tests","fields":[{"name":"id","type":"string"}]}""";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var payload = new JsonObject { ["schema"] = schema }.ToJsonString();
        using var content = new StringContent(payload, Encoding.UTF8, "application/vnd.schemaregistry.v1+json");
        using var response = await http.PostAsync($"{registryUrl}/subjects/{topic}-value/versions", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.True((int)JsonNode.Parse(body)!["id"]! > 0, body);
    }
}
