using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>OpenTelemetry metrics exported for Prometheus, and liveness/readiness endpoints, for <c>run</c>.</summary>
public static class ObservabilityHostingExtensions
{
    /// <summary>Adds the meters of every component to an OpenTelemetry meter provider with a Prometheus exporter, and the health checks.</summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.AddObservabilityOptions();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CaptureMetrics.MeterName, FreshchatMetrics.MeterName, FreshchatStream.Producer.Publishing.PublishingMetrics.MeterName,
                FreshchatStream.Producer.Webhooks.WebhookMetrics.MeterName, FreshchatStream.Producer.Capture.Progress.ProgressMetrics.MeterName)
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks()
            .AddCheck<KafkaReadinessCheck>("kafka", tags: ["ready"])
            .AddCheck<RedisReadinessCheck>("redis", tags: ["ready"])
            .AddCheck<FreshchatReadinessCheck>("freshchat", tags: ["ready"]);
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
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
