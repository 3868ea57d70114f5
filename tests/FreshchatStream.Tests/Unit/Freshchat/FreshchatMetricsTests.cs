using System.Diagnostics.Metrics;
using System.Net;
using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace FreshchatStream.Tests.Unit.Freshchat;

public sealed class FreshchatMetricsTests
{
    [Fact]
    public async Task Requests_AreCountedByEndpointTemplateAndStatus_NeverByUrlOrKey()
    {
        using var freshchat = new ScriptedFreshchat((request, call) => call switch
        {
            1 => ScriptedFreshchat.Json(HttpStatusCode.OK, """{"id":"user-4711"}"""),
            2 => ScriptedFreshchat.Json(HttpStatusCode.NotFound, """{"code":404,"status":"USER_NOT_FOUND","message":"no"}"""),
            3 => Throttled(),
            _ => ScriptedFreshchat.Json(HttpStatusCode.OK, """{"id":"user-4711"}"""),
        });
        var meterFactory = freshchat.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(meterFactory, FreshchatMetrics.MeterName, "freshchat_stream.freshchat.requests");
        using var throttled = new MetricCollector<long>(meterFactory, FreshchatMetrics.MeterName, "freshchat_stream.freshchat.throttled");
        using var retries = new MetricCollector<long>(meterFactory, FreshchatMetrics.MeterName, "freshchat_stream.freshchat.retries");
        using var waits = new MetricCollector<double>(meterFactory, FreshchatMetrics.MeterName, "freshchat_stream.freshchat.rate_limiter.wait");

        await freshchat.Client.GetUserAsync("user-4711");
        Assert.Null(await freshchat.Client.GetUserAsync("user-0000"));
        var third = freshchat.Client.GetUserAsync("user-4711");
        await freshchat.AdvanceUntilDoneAsync(third, TimeSpan.FromSeconds(10));
        await third;

        var measured = requests.GetMeasurementSnapshot();
        Assert.Equal([200, 404, 429, 200], measured.Select(m => (int)m.Tags["status"]!));
        Assert.All(measured, m => Assert.Equal("GET /v2/users/{id}", m.Tags["endpoint"]));
        Assert.Equal(1, throttled.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, retries.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.NotEmpty(waits.GetMeasurementSnapshot());
        var allTags = measured.SelectMany(m => m.Tags.Values).Select(v => v?.ToString() ?? string.Empty).ToList();
        Assert.DoesNotContain(allTags, t => t.Contains("user-", StringComparison.Ordinal) || t.Contains(ScriptedFreshchat.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Issue", "#17")]
    public void EndpointForbidden_GaugeIsOneWhileRefusedAndZeroOnceAnswered()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new FreshchatMetrics(meterFactory);
        var access = new EndpointAccess(metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger<EndpointAccess>.Instance);
        using var gauge = new MetricCollector<int>(meterFactory, FreshchatMetrics.MeterName, "freshchat_stream.endpoint.forbidden");

        access.Refused("POST /v2/reports/raw", DateTimeOffset.UnixEpoch);
        access.Refused("POST /v2/reports/raw", DateTimeOffset.UnixEpoch);
        gauge.RecordObservableInstruments();
        var refused = Assert.Single(gauge.GetMeasurementSnapshot());
        access.Answered("POST /v2/reports/raw");
        gauge.RecordObservableInstruments();

        Assert.Equal((1, "POST /v2/reports/raw"), (refused.Value, (string?)refused.Tags["endpoint"]));
        Assert.Equal(0, gauge.LastMeasurement!.Value);
        Assert.Equal(2, access.Refusals);
        Assert.Empty(access.Forbidden);
    }

    private static HttpResponseMessage Throttled()
    {
        var response = ScriptedFreshchat.Json(HttpStatusCode.TooManyRequests, "{}");
        response.Headers.TryAddWithoutValidation("Retry-After", "1");
        return response;
    }
}
