using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Webhooks;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// deploy/monitoring's dashboard and alert rules against a running producer: every metric they query must be one
/// the producer exports. A counter appears in a scrape only after its first increment (no 429, no gap, no dead
/// letter on a clean run), so the exported names are derived from every instrument the run publishes, by the
/// Prometheus exporter's naming rule; the same run's scrape proves that rule, since every scraped name must come
/// out of it.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
[Collection(InProcessMetricsCollection.Name)]
public sealed partial class MonitoringMetricsTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task DashboardAndAlertRules_QueryOnlyMetricsARunningProducerExports()
    {
        var instruments = new ConcurrentDictionary<string, Instrument>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("FreshchatStream.", StringComparison.Ordinal))
                {
                    instruments[instrument.Name] = instrument;
                }
            },
        };
        listener.Start();

        await using var scenario = await CaptureScenario.StartAsync(stack);
        using var webhookKey = RSA.Create(2048);
        WebhookRunTests.Configure(scenario, webhookKey); // webhook metrics exist only with webhooks on
        var port = FreePort.Next();
        scenario.Settings["Observability:MetricsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var running = scenario.RunAsync(stop.Token, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var metrics = string.Empty;
        string[] expected = ["freshchat_stream_capture_lag_seconds", "freshchat_stream_freshchat_requests_total{", "freshchat_stream_publishing_records_total{", "freshchat_stream_capture_pass_duration_seconds_bucket{"];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
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

        await stop.CancelAsync();
        var result = await running;

        var exported = instruments.Values.SelectMany(PrometheusSampleNames).ToHashSet(StringComparer.Ordinal);
        var scraped = MetricName().Matches(metrics).Select(m => m.Value).Where(n => !IsCommentLine(metrics, n)).ToHashSet(StringComparer.Ordinal);
        var referenced = new[] { "deploy/monitoring/grafana/dashboards/freshchat-stream.json", "deploy/monitoring/prometheus/freshchat-stream-rules.yml" }
            .SelectMany(file => MetricName().Matches(File.ReadAllText(RepositoryRoot.Combine(file))).Select(m => (file, name: m.Value)))
            .ToList();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(expected, series => Assert.Contains(series, metrics));
        Assert.All(scraped, name => Assert.True(exported.Contains(name), $"scraped {name} is not what the naming rule derives from the instruments"));
        Assert.NotEmpty(referenced);
        Assert.All(referenced, r => Assert.True(exported.Contains(r.name), $"{r.file} queries {r.name}, which the producer does not export"));
    }

    /// <summary>OpenTelemetry's Prometheus exporter: dots to underscores, the unit as a suffix, _total on counters.</summary>
    private static IEnumerable<string> PrometheusSampleNames(Instrument instrument)
    {
        var name = Regex.Replace(instrument.Name, "[^a-zA-Z0-9_:]", "_");
        var unit = instrument.Unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            null or "" => null,
            var u when u.StartsWith('{') => null,
            var u => u,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        var kind = instrument.GetType().GetGenericTypeDefinition();
        if (kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>))
        {
            return [name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total"];
        }

        return kind == typeof(Histogram<>) ? [name + "_bucket", name + "_sum", name + "_count"] : [name];
    }

    private static bool IsCommentLine(string metrics, string name) =>
        !metrics.Split('\n').Any(line => !line.StartsWith('#') && (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)));

    [GeneratedRegex("freshchat_stream_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
