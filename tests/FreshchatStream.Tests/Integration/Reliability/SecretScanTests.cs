using System.Diagnostics;
using System.Text;
using FreshchatStream.Sandbox.SchemaRegistry;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// The Freshchat API key, the Schema Registry password and the SASL password never leave the process: the test
/// runs the producer with Trace logging, progress lines (a 100 ms <c>Observability:ProgressInterval</c> against a
/// slowed emulator, and the first-cycle estimate), a dead-lettered record, a metrics endpoint and failing credentials,
/// and scans everything it wrote — logs, standard error, <c>/metrics</c>, health, <c>status</c>, <c>check</c> and the
/// raw bytes of every topic including the dead-letter topic — for each secret and its base64 form.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SecretScanTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryOutput_WithTraceLogsDeadLettersMetricsAndFailures_HoldsNoSecret()
    {
        var apiKey = $"fc-key-{Guid.NewGuid():N}";
        var registryUserInfo = $"sr-user:sr-pass-{Guid.NewGuid():N}";
        var saslPassword = $"sasl-pass-{Guid.NewGuid():N}";
        await using var registry = await SchemaRegistryEmulator.StartAsync(new SchemaRegistryEmulatorOptions { BasicAuthUserInfo = registryUserInfo });
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { ApiKey = apiKey, Behaviour = new(), Faults = new() });
        var poison = (string)scenario.Freshchat.Data.EnumerateUsers().First()["id"]!;
        scenario.Freshchat.Data.UpdateUser(poison, u => u["created_time"] = "sometime last week");
        var metricsPort = FreePort.Next();
        scenario.Settings["SchemaRegistry:Url"] = registry.Url.ToString();
        scenario.Settings["SchemaRegistry:BasicAuthUserInfo"] = registryUserInfo;
        scenario.Settings["Kafka:sasl.username"] = "capture";
        scenario.Settings["Kafka:sasl.password"] = saslPassword;
        foreach (var category in new[] { "Default", "Microsoft", "System", "System.Net.Http.HttpClient", "Polly" })
        {
            scenario.Settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        scenario.Settings["Kafka:debug"] = "security,broker,protocol"; // librdkafka's own debug log, where a config dump would show
        scenario.Settings["Observability:MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        scenario.Settings["Capture:PollInterval"] = "00:00:02";
        scenario.Settings["Observability:ProgressInterval"] = "00:00:00.1"; // progress lines in the scanned log (issue #23)
        scenario.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(10); // so the conversations pass outlasts a few intervals
        var outputs = new List<(string Source, string Text)>();

        // A continuous run at Trace level, scraped while it captures, then stopped as an orchestrator would.
        var log = new StringBuilder();
        using (var run = scenario.StartChild(null, line => { lock (log) { log.AppendLine(line); } }, "run"))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
            var metrics = await ScrapeUntilAsync(http, "kind=\"dead_letter\"", run);
            outputs.Add(("/metrics", metrics));
            outputs.Add(("/health/ready", await http.GetStringAsync("/health/ready")));
            outputs.Add(("/health/live", await http.GetStringAsync("/health/live")));
            // The first cycle's estimate comes once the first users' conversation lists were read: let it be logged before stopping.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!Text(log).Contains("first cycle on this account", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !run.HasExited)
            {
                await Task.Delay(200);
            }

            PosixSignals.Terminate(run.Id);
            await run.WaitForExitAsync().WaitAsync(ChildTimeout);
            Assert.True(run.ExitCode == 0, Tail(log));
        }

        outputs.Add(("run (Trace logs)", log.ToString()));
        outputs.Add(("status", (await RunChildAsync(scenario, null, "status")).Text));
        outputs.Add(("check", (await RunChildAsync(scenario, null, "check")).Text));
        var wrongRegistry = await RunChildAsync(scenario, new() { ["SchemaRegistry:BasicAuthUserInfo"] = "sr-user:wrong-" + registryUserInfo }, "run", "--once");
        outputs.Add(("run --once, registry password wrong", wrongRegistry.Text));
        var wrongKey = await RunChildAsync(scenario, new() { ["Freshchat:ApiKey"] = "wrong-" + apiKey }, "run", "--once");
        outputs.Add(("run --once, API key wrong", wrongKey.Text));
        var deadLetters = ReadRaw(scenario, scenario.Topics.DeadLetter);
        outputs.Add(("dead-letter records", string.Join("\n", deadLetters)));
        foreach (var topic in scenario.Topics.All().Where(t => t.Name != scenario.Topics.DeadLetter))
        {
            outputs.Add((topic.Name, string.Join("\n", ReadRaw(scenario, topic.Name))));
        }

        // The scan is only as good as what it read: Trace logs, a dead letter, a refused registry and a refused key.
        Assert.True(log.ToString().Contains("trce: Microsoft.AspNetCore", StringComparison.Ordinal), Head(log)); // Trace really was on
        Assert.True(log.ToString().Contains("dbug: FreshchatStream.Producer.Publishing.Kafka.KafkaConnection", StringComparison.Ordinal), Head(log)); // and librdkafka's debug
        Assert.Contains("DeadLetterPublisher", log.ToString());
        Assert.Contains("CaptureProgress[390]", log.ToString()); // progress lines were scanned
        Assert.Contains("first cycle on this account", log.ToString()); // and the first-cycle estimate
        Assert.Contains(outputs, o => o.Source == "check" && o.Text.Contains("estimate: first cycle on this account", StringComparison.Ordinal));
        Assert.NotEmpty(deadLetters);
        Assert.Contains(deadLetters, record => record.Contains("created_time", StringComparison.Ordinal));
        Assert.True(wrongRegistry.ExitCode == 3 && wrongRegistry.Text.Contains("SchemaRegistry:BasicAuthUserInfo", StringComparison.Ordinal), wrongRegistry.Text);
        Assert.True(wrongKey.ExitCode == 3 && wrongKey.Text.Contains("Freshchat:ApiKey", StringComparison.Ordinal), wrongKey.Text);

        string[] secrets =
        [
            apiKey, Base64(apiKey),
            registryUserInfo, registryUserInfo.Split(':')[1], Base64(registryUserInfo), Base64("sr-user:wrong-" + registryUserInfo),
            saslPassword, Base64(saslPassword),
        ];
        var leaks = (from output in outputs from secret in secrets where output.Text.Contains(secret, StringComparison.Ordinal) select $"{output.Source} holds '{secret}'").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        var records = outputs.Where(o => o.Source.StartsWith(scenario.Prefix, StringComparison.Ordinal)).Sum(o => o.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length) + deadLetters.Count;
        ledger.Record(new ScenarioFigures("Security: API key, Schema Registry credentials and SASL password scanned for in every output", 5,
            $"{secrets.Length} secret forms searched in {outputs.Count} outputs ({outputs.Sum(o => o.Text.Length):N0} characters: Trace logs, /metrics, health, status, check, " +
            $"a refused registry password, a refused API key, raw bytes of {records:N0} records incl. {deadLetters.Count} dead letter(s)); leaks found: {leaks.Count}",
            records, 0, 0, TimeSpan.Zero));
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient http, string expected, Process run)
    {
        var metrics = string.Empty;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !metrics.Contains(expected, StringComparison.Ordinal) && !run.HasExited)
        {
            await Task.Delay(500);
            try
            {
                metrics = await http.GetStringAsync("/metrics");
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
        }

        Assert.Contains(expected, metrics);
        return metrics;
    }

    private static async Task<(int ExitCode, string Text)> RunChildAsync(CaptureScenario scenario, Dictionary<string, string>? overrides, params string[] args)
    {
        var text = new StringBuilder();
        using var child = scenario.StartChild(overrides, line => { lock (text) { text.AppendLine(line); } }, args);
        await child.WaitForExitAsync().WaitAsync(ChildTimeout);
        child.WaitForExit(); // drains the redirected streams
        lock (text)
        {
            return (child.ExitCode, text.ToString());
        }
    }

    /// <summary>Every record of a topic as text: key, value and headers as UTF-8 (Avro strings are UTF-8 on the wire).</summary>
    private static List<string> ReadRaw(CaptureScenario scenario, string topic) =>
        [.. scenario.ReadRaw(topic).Select(m => $"{Utf8(m.Key)} {Utf8(m.Value)} {string.Join(" ", m.Headers.Select(h => $"{h.Key}={Encoding.UTF8.GetString(h.GetValueBytes())}"))}")];

    private static string Utf8(byte[]? bytes) => bytes is null ? string.Empty : Encoding.UTF8.GetString(bytes);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static string Head(StringBuilder log) => string.Join("\n", log.ToString().Split('\n').Take(60));

    private static string Tail(StringBuilder log)
    {
        lock (log)
        {
            return string.Join("\n", log.ToString().Split('\n').TakeLast(30));
        }
    }
}
