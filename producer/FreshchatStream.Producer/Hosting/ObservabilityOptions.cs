using System.ComponentModel.DataAnnotations;

namespace FreshchatStream.Producer.Hosting;

/// <summary>The metrics and health endpoint of <c>run</c>, bound from <c>Observability:*</c>.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Port serving <c>/metrics</c> (Prometheus), <c>/health/live</c> and <c>/health/ready</c>; 0 = off.</summary>
    [Range(0, 65535, ErrorMessage = "Observability:MetricsPort must be between 0 (off) and 65535.")]
    public int MetricsPort { get; set; }

    /// <summary>Address the endpoint listens on: <c>127.0.0.1</c> by default, <c>0.0.0.0</c> in a container.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";
}
