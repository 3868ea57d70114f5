using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FreshchatStream.Hosting;

/// <summary>
/// OTLP export of metrics and traces, added when <c>Observability:Otlp:Endpoint</c> is set (the Prometheus
/// exporter's own README says it is not meant for production; OTLP to a collector is).
/// </summary>
public static class TelemetryExport
{
    /// <summary>
    /// Adds an OTLP exporter to the metrics and traces of <paramref name="builder"/> when the configuration names an
    /// endpoint. An invalid value adds nothing here: <see cref="ObservabilityOptionsValidator"/> refuses it at start.
    /// </summary>
    public static IOpenTelemetryBuilder AddConfiguredOtlpExport(this IOpenTelemetryBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = configuration.GetSection($"{ObservabilityOptions.Section}:Otlp").Get<OtlpOptions>() ?? new OtlpOptions();
        if (!IsUsable(otlp, out var endpoint))
        {
            return builder;
        }

        var protocol = otlp.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        builder.WithTracing(tracing => tracing.AddOtlpExporter(o => Configure(o, otlp, protocol, endpoint, "v1/traces")));
        builder.WithMetrics(metrics => metrics.AddOtlpExporter(o => Configure(o, otlp, protocol, endpoint, "v1/metrics")));
        return builder;
    }

    private static bool IsUsable(OtlpOptions otlp, out Uri endpoint)
    {
        endpoint = null!;
        return !string.IsNullOrEmpty(otlp.Endpoint) && otlp.Protocol is "grpc" or "http/protobuf"
            && Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out endpoint!) && endpoint.Scheme is "http" or "https";
    }

    // Over HTTP a programmatically set endpoint is used as is, so the signal's path is appended to the base URL,
    // as the OTEL_EXPORTER_OTLP_ENDPOINT convention does.
    private static void Configure(OtlpExporterOptions options, OtlpOptions otlp, OtlpExportProtocol protocol, Uri endpoint, string signalPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
        if (!string.IsNullOrEmpty(otlp.Headers))
        {
            options.Headers = otlp.Headers;
        }
    }
}
