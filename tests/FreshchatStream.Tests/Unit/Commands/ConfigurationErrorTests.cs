using System.Net;
using System.Net.Sockets;
using FreshchatStream.Producer.Commands;

namespace FreshchatStream.Tests.Unit.Commands;

/// <summary>
/// Every configuration key a user can get wrong, missing or malformed, stops <c>run</c>, <c>run --once</c> and
/// <c>check</c> at start with exit code 2 and one line on standard error that names the key — before any
/// dependency is contacted (each dependency is a loopback listener counting connections), and never with a
/// stack trace.
/// </summary>
public sealed class ConfigurationErrorTests
{
    /// <summary>(key, bad value, what the error line must name); an empty value is how a missing key arrives.</summary>
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Freshchat:BaseUrl", "", "Freshchat:BaseUrl" },
        { "Freshchat:BaseUrl", "acme.freshchat.com/v2", "Freshchat:BaseUrl" },
        { "Freshchat:BaseUrl", "ftp://acme.freshchat.com/v2", "Freshchat:BaseUrl" },
        { "Freshchat:BaseUrl", "https://user:pw@acme.freshchat.com/v2", "Freshchat:BaseUrl" },
        { "Freshchat:ApiKey", "", "Freshchat:ApiKey" },
        { "Freshchat:ApiKey", "two words", "Freshchat:ApiKey" },
        { "Freshchat:RequestsPerMinute", "0", "Freshchat:RequestsPerMinute" },
        { "Freshchat:RequestsPerMinute", "lots", "Freshchat:RequestsPerMinute" },
        { "Freshchat:RateLimitHeadroom", "-1", "Freshchat:RateLimitHeadroom" },
        { "Freshchat:AttemptTimeout", "00:00:00", "Freshchat:AttemptTimeout" },
        { "Freshchat:AttemptTimeout", "thirty seconds", "Freshchat:AttemptTimeout" },
        { "Freshchat:TotalTimeout", "00:00:00", "Freshchat:TotalTimeout" },
        { "Freshchat:MaxRetries", "21", "Freshchat:MaxRetries" },
        { "Freshchat:RetryBaseDelay", "01:00:00", "Freshchat:RetryBaseDelay" },
        { "Freshchat:BreakDuration", "00:00:00", "Freshchat:BreakDuration" },
        { "Freshchat:ItemsPerPage", "0", "Freshchat:ItemsPerPage" },
        { "Kafka:BootstrapServers", "", "Kafka:BootstrapServers" },
        { "Kafka:TopicPrefix", "bad prefix!", "Kafka:TopicPrefix" },
        { "Kafka:TopicPartitions", "0", "Kafka:TopicPartitions" },
        { "Kafka:ReplicationFactor", "0", "Kafka:ReplicationFactor" },
        { "Kafka:DeliveryTimeout", "00:00:00", "Kafka:DeliveryTimeout" },
        { "Kafka:FlushTimeout", "-00:00:01", "Kafka:FlushTimeout" },
        { "Kafka:AdminTimeout", "00:00:00", "Kafka:AdminTimeout" },
        { "Kafka:CreateTopics", "perhaps", "Kafka:CreateTopics" },
        { "Kafka:enable.idempotence", "false", "Kafka:enable.idempotence" },
        { "Kafka:acks", "1", "Kafka:acks" },
        { "Kafka:NotAProperty", "x", "Kafka:NotAProperty" },
        { "SchemaRegistry:Url", "", "SchemaRegistry:Url" },
        { "SchemaRegistry:Url", "registry:8081", "SchemaRegistry:Url" },
        { "SchemaRegistry:Url", "http://user:pw@registry:8081", "SchemaRegistry:Url" },
        { "SchemaRegistry:BasicAuthUserInfo", "no-colon", "SchemaRegistry:BasicAuthUserInfo" },
        { "SchemaRegistry:RequestTimeout", "00:00:00", "SchemaRegistry:RequestTimeout" },
        { "SchemaRegistry:AutoRegisterSchemas", "sometimes", "SchemaRegistry:AutoRegisterSchemas" },
        { "Redis:Configuration", "", "Redis:Configuration" },
        { "Redis:KeyPrefix", "", "Redis:KeyPrefix" },
        { "Capture:PollInterval", "00:00:00", "Capture:PollInterval" },
        { "Capture:PollInterval", "often", "Capture:PollInterval" },
        { "Capture:Resources", "users,bogus", "Capture:Resources" },
        { "Capture:ReconcileInterval", "00:00:00.500", "Capture:ReconcileInterval" },
        { "Capture:Overlap", "-00:01:00", "Capture:Overlap" },
        { "Capture:OverlapInterval", "2.00:00:00", "Capture:OverlapInterval" },
        { "Capture:BatchSize", "0", "Capture:BatchSize" },
        { "Capture:BatchSize", "many", "Capture:BatchSize" },
        { "Capture:StalledCycleWarning", "0", "Capture:StalledCycleWarning" },
        { "Capture:Heartbeat", "maybe", "Capture:Heartbeat" },
        { "Capture:Conversations:MaxPerCycle", "0", "Capture:Conversations:MaxPerCycle" },
        { "Capture:Conversations:DiscoveryPerCycle", "0", "Capture:Conversations:DiscoveryPerCycle" },
        { "Capture:Conversations:OpenMaxInterval", "31.00:00:00", "Capture:Conversations:OpenMaxInterval" },
        { "Capture:Conversations:ResolvedInterval", "-01:00:00", "Capture:Conversations:ResolvedInterval" },
        { "Capture:Conversations:ResolvedMaxInterval", "00:00:01", "Capture:Conversations:ResolvedMaxInterval" },
        { "Capture:Conversations:MessageRecheckInterval", "31.00:00:00", "Capture:Conversations:MessageRecheckInterval" },
        { "Capture:Conversations:ResolvedWatch", "2.00:00:00", "Capture:Conversations:ResolvedWatch" },
        { "Capture:Conversations:ResolvedWatchInterval", "00:00:00", "Capture:Conversations:ResolvedWatchInterval" },
        { "Capture:Reports:Lookback", "00:00:01", "Capture:Reports:Lookback" },
        { "Capture:Reports:MaxWindow", "00:00:01", "Capture:Reports:MaxWindow" },
        { "Capture:Reports:MinWindow", "2.00:00:00", "Capture:Reports:MinWindow" },
        { "Capture:Reports:SettleDelay", "2.00:00:00", "Capture:Reports:SettleDelay" },
        { "Capture:Reports:PollTimeout", "01:00:00", "Capture:Reports:PollTimeout" },
        { "Capture:Reports:RetryBackoff", "00:00:00", "Capture:Reports:RetryBackoff" },
        { "Capture:Reports:ExcludePii", "nope", "Capture:Reports:ExcludePii" },
        { "Observability:MetricsPort", "70000", "Observability:MetricsPort" },
        { "Observability:MetricsPort", "http", "Observability:MetricsPort" },
        { "Observability:ListenAddress", "not an address", "Observability:ListenAddress" },
        { "Observability:Otlp:Endpoint", "otel-collector:4317", "Observability:Otlp:Endpoint" },
        { "Observability:Otlp:Protocol", "json", "Observability:Otlp:Protocol" },
        { "Observability:ProgressInterval", "00:00:00", "Observability:ProgressInterval" },
        { "Observability:ProgressInterval", "02:00:00", "Observability:ProgressInterval" },
        { "Observability:ProgressInterval", "soon", "Observability:ProgressInterval" },
        { "Webhooks:Enabled", "maybe", "Webhooks:Enabled" },
        { "Webhooks:Enabled", "true", "Webhooks:PublicKey" },
        { "Webhooks:Listen", "0.0.0.0:8090", "Webhooks:Listen" },
        { "Webhooks:Listen", "http://example.com:8090", "Webhooks:Listen" },
        { "Webhooks:Path", "webhooks", "Webhooks:Path" },
        { "Webhooks:MaxBodyBytes", "10", "Webhooks:MaxBodyBytes" },
        { "Webhooks:AckTimeout", "00:00:00", "Webhooks:AckTimeout" },
        { "Webhooks:QuietPollInterval", "-00:00:01", "Webhooks:QuietPollInterval" },
        { "Webhooks:GapWarningAfter", "00:00:00", "Webhooks:GapWarningAfter" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task RunOnce_BadSetting_ExitsTwoNamingTheKey(string key, string value, string named) =>
        await AssertRejected(key, value, named, "run", "--once");

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Run_BadSetting_ExitsTwoNamingTheKey(string key, string value, string named) =>
        await AssertRejected(key, value, named, "run");

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Check_BadSetting_ExitsTwoNamingTheKey(string key, string value, string named) =>
        await AssertRejected(key, value, named, "check");

    private static async Task AssertRejected(string key, string value, string named, params string[] command)
    {
        using var freshchat = new ConnectionCounter();
        using var kafka = new ConnectionCounter();
        using var registry = new ConnectionCounter();
        using var redis = new ConnectionCounter();
        var settings = new Dictionary<string, string>
        {
            ["Freshchat:BaseUrl"] = $"http://127.0.0.1:{freshchat.Port}/v2",
            ["Freshchat:ApiKey"] = "test-key",
            ["Kafka:BootstrapServers"] = $"127.0.0.1:{kafka.Port}",
            ["SchemaRegistry:Url"] = $"http://127.0.0.1:{registry.Port}",
            ["Redis:Configuration"] = $"127.0.0.1:{redis.Port},abortConnect=false,connectTimeout=500",
            ["Logging:LogLevel:Default"] = "Warning",
            [key] = value,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        // A run that wrongly accepts the setting keeps retrying the listeners until this stop.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var code = await FreshchatStreamCli.RunAsync([.. command, .. settings.Select(s => $"--{s.Key}={s.Value}")], output, error, stop.Token);

        Assert.True(code == 2, $"{key}={value}: exit {code}\nstdout: {output}\nstderr: {error}");
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith("configuration error: ", line);
        Assert.Contains(named, line);
        Assert.Equal(0, freshchat.Accepted + kafka.Accepted + registry.Accepted + redis.Accepted);
    }

    /// <summary>A loopback port standing in for a dependency: counts the connections made to it.</summary>
    private sealed class ConnectionCounter : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _accepted;

        public ConnectionCounter()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose() => _listener.Stop();

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _accepted);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }
    }
}
