using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Hosting;
using FreshchatStream.Producer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// OpenTelemetry metrics exported for Prometheus, and liveness/readiness endpoints, for <c>run</c>; metrics and
/// traces pushed over OTLP when <c>Observability:Otlp:Endpoint</c> is set.
/// </summary>
public static class ObservabilityHostingExtensions
{
    /// <summary>Every meter of the producer.</summary>
    private static readonly string[] Meters =
        [CaptureMetrics.MeterName, FreshchatMetrics.MeterName, FreshchatStream.Producer.Publishing.PublishingMetrics.MeterName, FreshchatStream.Producer.Webhooks.WebhookMetrics.MeterName,
         FreshchatStream.Producer.Capture.Progress.ProgressMetrics.MeterName];

    /// <summary>Adds the meters of every component to an OpenTelemetry meter provider with a Prometheus exporter, and the health checks.</summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.AddObservabilityOptions();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks()
            .AddCheck<KafkaReadinessCheck>("kafka", tags: ["ready"])
            .AddCheck<RedisReadinessCheck>("redis", tags: ["ready"])
            .AddCheck<FreshchatReadinessCheck>("freshchat", tags: ["ready"])
            .AddCheck<LeaseReadinessCheck>("lease", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Traces of the capture (<see cref="CaptureMetrics.ActivitySourceName"/>: cycle, pass, Kafka batch) and of the
    /// Freshchat and registry requests (HttpClient instrumentation, query strings redacted), with every meter, exported
    /// over OTLP when <c>Observability:Otlp:Endpoint</c> is set; nothing is added otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetryExport(this IHostApplicationBuilder builder)
    {
        builder.AddObservabilityOptions();
        if (string.IsNullOrEmpty(builder.Configuration[$"{ObservabilityOptions.Section}:Otlp:Endpoint"]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("freshchat-stream"))
            .WithTracing(tracing => tracing.AddSource(CaptureMetrics.ActivitySourceName).AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(Meters))
            .AddConfiguredOtlpExport(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Only <see cref="ObservabilityOptions"/> (<c>Observability:*</c>), validated on start; every command adds
    /// it, so a bad value is refused even while the endpoint is off. Safe to call more than once.
    /// </summary>
    public static IHostApplicationBuilder AddObservabilityOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>());
        return builder;
    }

    /// <summary><c>/metrics</c> (Prometheus text format), <c>/health/live</c> (the process runs), <c>/health/ready</c> (Kafka, Redis, Freshchat).</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReadiness });
        return app;
    }

    /// <summary>
    /// The overall status on the first line (what probes and the <c>health</c> command read), then one line per check
    /// that has something to say, e.g. <c>lease: standby: account acme is captured by pod-b (epoch 3)</c>.
    /// </summary>
    private static Task WriteReadiness(Microsoft.AspNetCore.Http.HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = new List<string> { report.Status.ToString() };
        lines.AddRange(report.Entries.Where(e => !string.IsNullOrEmpty(e.Value.Description)).OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}: {e.Value.Description}"));
        return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, string.Join("\n", lines) + "\n");
    }
}
