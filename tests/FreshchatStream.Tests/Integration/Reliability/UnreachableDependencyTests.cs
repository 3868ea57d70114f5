using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// A dependency that cannot be reached at start (nothing listens on its port) is named by <c>check</c>,
/// <c>run --once</c> and <c>run</c>: exit code 3 and one line on standard error saying which one and which key
/// to check — the other dependencies being fine — and nothing is published.
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class UnreachableDependencyTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    public static TheoryData<string, string> Dependencies => new()
    {
        { "Kafka", "Kafka:BootstrapServers" },
        { "Schema Registry", "SchemaRegistry:Url" },
        { "Redis", "Redis:Configuration" },
        { "Freshchat", "Freshchat:BaseUrl" },
    };

    [Theory]
    [MemberData(nameof(Dependencies))]
    public async Task CheckRunOnceAndRun_DependencyUnreachableAtStart_ExitThreeNamingIt(string dependency, string key)
    {
        await using var scenario = await StartWithDeadAsync(key);
        var slowest = TimeSpan.Zero;

        var check = await TimedAsync(() => scenario.RunAsync("check"));
        Assert.True(check.Result.ExitCode == 3, check.Result.ToString());
        Assert.Contains($"FAIL {dependency}", check.Result.Output);
        Assert.StartsWith($"check failed: {dependency}", SingleLine(check.Result));
        Assert.Contains($"(check {key})", SingleLine(check.Result));

        foreach (var args in new[] { new[] { "run", "--once" }, ["run"] })
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a run that waited forever fails below
            var run = await TimedAsync(() => scenario.RunAsync(stop.Token, args));
            Assert.True(run.Result.ExitCode == 3, $"{string.Join(' ', args)}: {run.Result}");
            var line = SingleLine(run.Result);
            Assert.StartsWith($"fatal: {dependency} is unreachable", line);
            Assert.Contains($"(check {key})", line);
            Assert.Contains("Capture:StartupTimeout", line);
            Assert.DoesNotContain("   at ", run.Result.Error);
            slowest = run.Elapsed > slowest ? run.Elapsed : slowest;
        }

        // Nothing was published: no partial capture from the dependencies that did answer.
        var published = CaptureCatalogue.Topics.Sum(r => scenario.Read(r).Count);
        Assert.Equal(0, published);
        ledger.Record(new ScenarioFigures($"Start-up: {dependency} unreachable ({key} points at a closed port)", 3,
            $"check, run --once and run each exit 3 with one line naming {dependency} and {key} (slowest {slowest.TotalSeconds:0.0} s with Capture:StartupTimeout 2 s)",
            published, 0, 0, TimeSpan.Zero));
    }

    private static string SingleLine(CommandResult result) => Assert.Single(result.Error.Trim().Split('\n'));

    private static async Task<(CommandResult Result, TimeSpan Elapsed)> TimedAsync(Func<Task<CommandResult>> command)
    {
        var watch = Stopwatch.StartNew();
        var result = await command();
        return (result, watch.Elapsed);
    }

    private async Task<CaptureScenario> StartWithDeadAsync(string key)
    {
        var scenario = await CaptureScenario.StartAsync(stack);
        var port = FreePort.Next();
        scenario.Settings[key] = key switch
        {
            "Kafka:BootstrapServers" => $"127.0.0.1:{port}",
            "Redis:Configuration" => $"127.0.0.1:{port},abortConnect=false,connectTimeout=500,syncTimeout=500",
            "Freshchat:BaseUrl" => $"http://127.0.0.1:{port}/v2",
            _ => $"http://127.0.0.1:{port}",
        };
        scenario.Settings["Capture:StartupTimeout"] = "00:00:02";
        scenario.Settings["Kafka:AdminTimeout"] = "00:00:03";
        scenario.Settings["Kafka:DeliveryTimeout"] = "00:00:05";
        scenario.Settings["SchemaRegistry:RequestTimeout"] = "00:00:03";
        scenario.Settings["Freshchat:MaxRetries"] = "1";
        scenario.Settings["Freshchat:RetryBaseDelay"] = "00:00:00.100";
        return scenario;
    }
}
