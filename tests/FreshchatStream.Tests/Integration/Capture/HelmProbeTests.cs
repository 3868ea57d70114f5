using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Unit.Deployment.Helm;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// The Helm chart's probes and ServiceMonitor against a running producer: each HTTP path the rendered manifests
/// point Kubernetes (or Prometheus) at must answer 200 on the port the rendered environment makes it listen on.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
[Collection(InProcessMetricsCollection.Name)]
public sealed class HelmProbeTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task RenderedProbeAndScrapePaths_AnswerOnARunningProducer()
    {
        var documents = HelmChart.Render(HelmChartTests.RequiredValues + "\nserviceMonitor:\n  enabled: true\n");
        var deployment = documents.Single(d => HelmChartTests.Scalar(d, "kind") == "Deployment");
        var container = HelmChartTests.Container(deployment);
        var monitor = documents.Single(d => HelmChartTests.Scalar(d, "kind") == "ServiceMonitor");
        string[] paths =
        [
            HelmChartTests.Scalar(container, "livenessProbe", "httpGet", "path"),
            HelmChartTests.Scalar(container, "readinessProbe", "httpGet", "path"),
            HelmChartTests.Scalar(monitor, "spec", "endpoints", "0", "path"),
        ];

        await using var scenario = await CaptureScenario.StartAsync(stack);
        // The rendered port would collide between parallel tests: the producer gets a free one, the rest of the
        // rendered observability settings unchanged.
        var env = HelmChartTests.Env(container);
        var port = FreePort.Next();
        scenario.Settings["Observability:MetricsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        scenario.Settings["Capture:PollInterval"] = "00:00:02";
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var answers = new Dictionary<string, System.Net.HttpStatusCode>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !(answers.Count == paths.Length && answers.Values.All(s => s == System.Net.HttpStatusCode.OK)))
        {
            await Task.Delay(500);
            foreach (var path in paths)
            {
                try
                {
                    answers[path] = (await http.GetAsync(path)).StatusCode;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
            }
        }

        await stop.CancelAsync();
        var result = await running;

        Assert.Equal("0.0.0.0", env["Observability__ListenAddress"]);
        Assert.Equal(["/health/live", "/health/ready", "/metrics"], paths);
        Assert.All(paths, path => Assert.Equal(System.Net.HttpStatusCode.OK, answers.GetValueOrDefault(path)));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("metrics", HelmChartTests.Scalar(container, "livenessProbe", "httpGet", "port"));
    }
}
