using System.Collections.Concurrent;
using System.Diagnostics;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Traces of a real <c>run --once</c> against the sandbox: a cycle span, a span per strategy pass under it, Kafka
/// batch spans and Freshchat requests (HttpClient) under the passes, no secret in any tag; and the same spans
/// exported over OTLP/HTTP to a collector endpoint started by the test.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
public sealed class TracingTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task RunOnce_EmitsACycleSpanWithPassBatchAndFreshchatRequestChildrenAndNoSecrets()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var account = $"trace-{Guid.NewGuid():N}"[..20];
        scenario.Settings["Capture:Account"] = account;
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is CaptureMetrics.ActivitySourceName or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        // Other tests run cycles concurrently: this run's cycle is the one tagged with its own account.
        var cycle = Assert.Single(spans, s => s.OperationName == "capture cycle" && (string?)s.GetTagItem("freshchat.account") == account);
        Assert.Equal(ActivityStatusCode.Unset, cycle.Status);
        Assert.True(cycle.GetTagItem("capture.events") is int events && events > 0);
        var passes = spans.Where(s => s.OperationName == "capture pass" && s.ParentSpanId == cycle.SpanId && s.TraceId == cycle.TraceId).ToList();
        // A strategy serving several resources names its pass after all of them (agents+agent_availability).
        var resources = passes.SelectMany(p => ((string)p.GetTagItem("capture.resource")!).Split('+')).ToHashSet();
        Assert.True(resources.IsSupersetOf(["users", "agents", "conversations", "messages", "groups"]), string.Join(", ", resources));
        var passIds = passes.Select(p => p.SpanId).ToHashSet();
        var batches = spans.Where(s => s.OperationName == "kafka batch" && passIds.Contains(s.ParentSpanId)).ToList();
        Assert.NotEmpty(batches);
        Assert.All(batches, b => Assert.Equal(ActivityKind.Producer, b.Kind));
        Assert.Contains(batches, b => b.GetTagItem("kafka.delivered") is int delivered && delivered > 0);
        var requests = spans.Where(s => s.Source.Name == "System.Net.Http" && passIds.Contains(s.ParentSpanId)).ToList();
        Assert.Contains(requests, r => r.TagObjects.Any(t => t.Value?.ToString()?.Contains("/v2/users", StringComparison.Ordinal) == true));
        var trace = spans.Where(s => s.TraceId == cycle.TraceId).ToList();
        Assert.All(trace, span => Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(scenario.Freshchat.ApiKey, StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task RunOnce_WithOtlpEndpoint_ExportsTracesAndMetricsOverHttp()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack);
        var port = FreePort.Next();
        var received = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path, context.Request.ContentType ?? string.Empty, body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        scenario.Settings["Observability:Otlp:Endpoint"] = $"http://127.0.0.1:{port}";
        scenario.Settings["Observability:Otlp:Protocol"] = "http/protobuf";

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        // The providers flush when the host stops; the exporters post from their own threads.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !(received.Any(r => r.Path == "/v1/traces") && received.Any(r => r.Path == "/v1/metrics")))
        {
            await Task.Delay(100);
        }

        var traces = received.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        Assert.All(traces, t => Assert.Equal("application/x-protobuf", t.ContentType));
        var text = string.Concat(traces.Select(t => System.Text.Encoding.UTF8.GetString(t.Body)));
        Assert.Contains("capture cycle", text);
        Assert.Contains("capture pass", text);
        Assert.Contains("freshchat-stream", text);
        Assert.Contains("/v2/users", text); // the HttpClient instrumentation's Freshchat request spans
        Assert.DoesNotContain(scenario.Freshchat.ApiKey, text);
        var metrics = string.Concat(received.Where(r => r.Path == "/v1/metrics").Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.Contains("freshchat_stream.capture.events", metrics);
    }
}
