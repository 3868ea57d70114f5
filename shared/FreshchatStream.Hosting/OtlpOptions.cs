namespace FreshchatStream.Hosting;

/// <summary><c>Observability:Otlp:*</c>: where metrics and traces are pushed over OTLP; off while <see cref="Endpoint"/> is empty.</summary>
public sealed class OtlpOptions
{
    /// <summary>Absolute URI of the collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>
    /// Extra request headers, <c>key=value</c> pairs separated by commas (e.g. a vendor's API key: secret, never
    /// logged). Same format as <c>OTEL_EXPORTER_OTLP_HEADERS</c>.
    /// </summary>
    public string? Headers { get; set; }
}
