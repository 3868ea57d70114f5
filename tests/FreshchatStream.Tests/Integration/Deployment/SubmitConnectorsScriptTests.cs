using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Deployment;

/// <summary>
/// consumers/kafka-connect/submit-connectors.sh (compose's connect-init) run with bash and curl against a fake
/// Kafka Connect REST API on loopback: what it submits, what it skips, and when it reports failure.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
public sealed class SubmitConnectorsScriptTests
{
    private static readonly string Folder = RepositoryRoot.Combine("consumers", "kafka-connect");

    /// <summary>A Connect REST API that accepts configs and reports each connector in a chosen state.</summary>
    private sealed class FakeConnect : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public FakeConnect(string connectorState, int putStatus = 201)
        {
            Port = FreePort.Next();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    var path = context.Request.Url!.AbsolutePath;
                    var (status, body) = (context.Request.HttpMethod, path) switch
                    {
                        ("GET", "/connectors") => (200, "[]"),
                        ("PUT", _) when path.EndsWith("/config", StringComparison.Ordinal) => Put(context, path, putStatus),
                        ("GET", _) when path.EndsWith("/status", StringComparison.Ordinal) => Status(path, connectorState),
                        _ => (404, "{}"),
                    };
                    var bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.StatusCode = status;
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public int Port { get; }

        public ConcurrentDictionary<string, string> Submitted { get; } = new();

        private readonly ConcurrentDictionary<string, int> _statusCalls = new();

        private (int, string) Put(HttpListenerContext context, string path, int status)
        {
            using var reader = new StreamReader(context.Request.InputStream);
            Submitted[path.Split('/')[2]] = reader.ReadToEnd();
            return (status, status < 300 ? "{}" : """{"error_code":400,"message":"Connector configuration is invalid"}""");
        }

        private (int, string) Status(string path, string state)
        {
            var name = path.Split('/')[2];
            // The first answer has no task yet, as Connect's does right after a submit.
            var tasks = _statusCalls.AddOrUpdate(name, 1, (_, n) => n + 1) == 1 ? "[]" : $$"""[{"id":0,"state":"{{state}}","worker_id":"connect:8083"}]""";
            return (200, $$"""{"name":"{{name}}","connector":{"state":"{{state}}","worker_id":"connect:8083"},"tasks":{{tasks}},"type":"sink"}""");
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(FakeConnect connect, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(Folder, "submit-connectors.sh"));
        info.Environment["CONNECT_URL"] = $"http://127.0.0.1:{connect.Port}";
        info.Environment["CONNECTORS_DIR"] = Folder;
        info.Environment["CONNECT_WAIT_SECONDS"] = "20";
        info.Environment["CONNECT_POLL_SECONDS"] = "0.2";
        info.Environment.Remove("SNOWFLAKE_ACCOUNT");
        info.Environment.Remove("GCP_PROJECT");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Script_PutsOnlyTheSinksWhoseCredentialsAreSetAndWaitsForRunningTasks()
    {
        await using var connect = new FakeConnect("RUNNING");

        var (exitCode, output) = await RunAsync(connect, new Dictionary<string, string> { ["SNOWFLAKE_ACCOUNT"] = "xy12345" });

        Assert.True(exitCode == 0, output);
        Assert.Equal(["freshchat-snowflake-sink"], connect.Submitted.Keys);
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, "snowflake-sink.json")).TrimEnd(), connect.Submitted["freshchat-snowflake-sink"].TrimEnd());
        Assert.Contains("skipping freshchat-bigquery-sink: GCP_PROJECT is not set", output);
        Assert.Contains("freshchat-snowflake-sink is RUNNING", output);
    }

    [Fact]
    public async Task Script_WithBothCredentials_SubmitsEverySink()
    {
        await using var connect = new FakeConnect("RUNNING");

        var (exitCode, output) = await RunAsync(connect, new Dictionary<string, string> { ["SNOWFLAKE_ACCOUNT"] = "xy12345", ["GCP_PROJECT"] = "p" });

        Assert.True(exitCode == 0, output);
        Assert.Equal(["freshchat-bigquery-history-sink", "freshchat-bigquery-sink", "freshchat-snowflake-sink"], connect.Submitted.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("3 sink(s) running", output);
    }

    [Fact]
    public async Task Script_FailsWhenAConnectorFails()
    {
        await using var connect = new FakeConnect("FAILED");

        var (exitCode, output) = await RunAsync(connect, new Dictionary<string, string> { ["GCP_PROJECT"] = "p" });

        Assert.Equal(1, exitCode);
        Assert.Contains("is not running", output);
    }

    [Fact]
    public async Task Script_FailsWithConnectsAnswerWhenAConfigIsRefused()
    {
        await using var connect = new FakeConnect("RUNNING", putStatus: 400);

        var (exitCode, output) = await RunAsync(connect, new Dictionary<string, string> { ["SNOWFLAKE_ACCOUNT"] = "xy12345" });

        Assert.Equal(1, exitCode);
        Assert.Contains("freshchat-snowflake-sink was refused (HTTP 400)", output);
        Assert.Contains("Connector configuration is invalid", output);
    }
}
