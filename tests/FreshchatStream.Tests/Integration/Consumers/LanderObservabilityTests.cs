using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FreshchatStream.Consumers.Commands;
using FreshchatStream.Sandbox.SchemaRegistry;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// The lander as deployed: configured by environment variables only (secrets included) against a Schema Registry
/// that enforces basic auth, serving <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c> while it lands,
/// answering its own <c>health --ready</c>, logging JSON, and stopping cleanly on SIGTERM.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
[Collection(DuckDbLanderStackCollection.Name)]
public sealed partial class LanderObservabilityTests(CaptureStackFixture stack)
{
    private const string Credentials = "lander:e20-registry-s3cret";

    private async Task<(CaptureScenario Scenario, SchemaRegistryEmulator Registry)> CapturedBehindAuthenticatedRegistryAsync()
    {
        var registry = await SchemaRegistryEmulator.StartAsync(new SchemaRegistryEmulatorOptions { BasicAuthUserInfo = Credentials });
        var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { ConversationsPerUser = 0.3, MessagesPerConversation = 3, Behaviour = new(), Faults = new() });
        scenario.Settings["SchemaRegistry:Url"] = registry.Url.ToString();
        scenario.Settings["SchemaRegistry:BasicAuthUserInfo"] = Credentials;
        var run = await scenario.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.ToString());
        return (scenario, registry);
    }

    [Fact]
    public async Task Lander_ConfiguredByEnvironmentBehindAnAuthenticatedRegistry_ServesMetricsHealthAndJsonLogs()
    {
        var (scenario, registry) = await CapturedBehindAuthenticatedRegistryAsync();
        await using var _ = scenario;
        await using var __ = registry;
        var database = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = stack.Kafka.BootstrapServers,
            ["Kafka__TopicPrefix"] = scenario.Prefix,
            ["SchemaRegistry__Url"] = registry.Url.ToString(),
            ["SchemaRegistry__BasicAuthUserInfo"] = Credentials,
            ["DuckDb__Database"] = database,
            ["Lander__Group"] = LanderHarness.NewGroup(),
            ["Lander__SessionTimeout"] = "00:00:06",
            ["Observability__MetricsPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "json",
        };
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var child = Start(environment, lines.Enqueue, "duckdb");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var users = scenario.Freshchat.Data.EnumerateUsers().Count();

        string metrics = string.Empty;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline && !(LandedUsers(metrics) >= users && metrics.Contains("freshchat_stream_lander_lag{", StringComparison.Ordinal)
                                                 && metrics.Contains("freshchat_stream_lander_batch_duration_seconds_count", StringComparison.Ordinal)))
        {
            Assert.False(child.HasExited, string.Join("\n", lines));
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

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        var probe = await RunToExitAsync(Start(new Dictionary<string, string> { ["Observability__MetricsPort"] = environment["Observability__MetricsPort"] }, _ => { }, "health", "--ready"));
        PosixSignals.Terminate(child.Id);
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var output = string.Join("\n", lines);

        Assert.True(LandedUsers(metrics) >= users, metrics + "\n" + output);
        Assert.Contains("freshchat_stream_lander_lag{", metrics);
        Assert.Matches(LagOfUsersTopic(scenario.Prefix), metrics);
        Assert.Contains("freshchat_stream_lander_batch_duration_seconds_count", metrics);
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(0, probe);
        Assert.True(child.ExitCode == 0, output);
        var logs = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(logs.Any(log => log.GetProperty("EventId").GetInt32() == 500 && log.GetProperty("LogLevel").GetString() == "Information"), output);
        Assert.DoesNotContain("e20-registry-s3cret", output + metrics);
        await using var db = await LanderHarness.OpenDuckDbAsync(database);
        Assert.Equal(users, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Lander_WrongRegistryCredentials_StopsAsAnOutageWithoutDeadLettering()
    {
        var (scenario, registry) = await CapturedBehindAuthenticatedRegistryAsync();
        await using var _ = scenario;
        await using var __ = registry;
        var database = Path.Combine(Path.GetTempPath(), $"lander-{Guid.NewGuid():N}.duckdb");
        using var error = new StringWriter();

        var code = await LanderCli.RunAsync(["duckdb", "--database", database, "--bootstrap-servers", stack.Kafka.BootstrapServers, "--schema-registry", registry.Url.ToString(),
            "--prefix", scenario.Prefix, "--group", LanderHarness.NewGroup(), "--once", "--session-timeout-ms", "6000", "--quiet", "--topics", "users",
            "--SchemaRegistry:BasicAuthUserInfo=lander:wrong-password"], TextWriter.Null, error).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(3, code);
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Contains("SchemaRegistry:BasicAuthUserInfo", line);
        Assert.DoesNotContain("wrong-password", line);
        await using var db = await LanderHarness.OpenDuckDbAsync(database);
        var deadLetterTable = await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = '_dead_letters'");
        Assert.Equal(0, deadLetterTable == 0 ? 0 : await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM _dead_letters"));
        Assert.Equal(0, await LanderHarness.ScalarAsync<int>(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"));
    }

    private static long LandedUsers(string metrics) =>
        UsersLanded().Matches(metrics).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static Regex LagOfUsersTopic(string prefix) => new($@"freshchat_stream_lander_lag\{{[^}}]*topic=""{Regex.Escape(prefix)}\.users""[^}}]*\}} 0");

    [GeneratedRegex(@"^freshchat_stream_lander_records_total\{[^}]*topic=""[^""]+\.users""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex UsersLanded();

    private static Process Start(IReadOnlyDictionary<string, string> environment, Action<string> output, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "freshchat-landers.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        Assert.DoesNotContain(info.ArgumentList, a => a.Contains("s3cret", StringComparison.Ordinal)); // secrets only in the environment
        var child = Process.Start(info) ?? throw new InvalidOperationException("could not start freshchat-landers");
        child.OutputDataReceived += (_, line) => { if (line.Data is not null) output(line.Data); };
        child.ErrorDataReceived += (_, line) => { if (line.Data is not null) output(line.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static async Task<int> RunToExitAsync(Process process)
    {
        using (process)
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return process.ExitCode;
        }
    }
}
