using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary><c>run</c> with <c>Observability:MetricsPort</c>: Prometheus metrics and health endpoints scraped while it captures.</summary>
[Trait("Category", "Integration")]
[Collection(InProcessMetricsCollection.Name)]
public sealed class ObservabilityTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task Run_WithMetricsPort_ServesMetricsLivenessAndReadinessThenStopsCleanly()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var port = FreePort.Next();
        scenario.Settings["Observability:MetricsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        scenario.Settings["Capture:PollInterval"] = "00:00:02";
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        string metrics = string.Empty;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        // Scraped until every series checked below is there: the exporter may serve a scrape taken between two meters' first measurements.
        string[] expected = ["resource=\"users\"", "freshchat_stream_freshchat_requests_total{", "freshchat_stream_publishing_records_total{"];
        while (DateTime.UtcNow < deadline && !expected.All(series => metrics.Contains(series, StringComparison.Ordinal)))
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

        var bound = ListeningSockets.On(port); // Observability:ListenAddress left at its default
        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        await stop.CancelAsync();
        var result = await running;

        Assert.Contains("freshchat_stream_capture_events_total{", metrics);
        Assert.Contains("resource=\"users\"", metrics);
        Assert.Contains("freshchat_stream_freshchat_requests_total{", metrics);
        Assert.Contains("endpoint=\"GET /v2/users\"", metrics);
        Assert.Contains("freshchat_stream_capture_lag_seconds", metrics);
        Assert.Contains("freshchat_stream_publishing_records_total{", metrics);
        Assert.Contains("kind=\"event\"", metrics);
        Assert.DoesNotContain(scenario.Freshchat.ApiKey, metrics);
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([System.Net.IPAddress.Loopback], bound);
    }
}
