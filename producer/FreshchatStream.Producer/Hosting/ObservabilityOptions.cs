namespace FreshchatStream.Producer.Hosting;

/// <summary>The metrics and health endpoint of <c>run</c>, bound from <c>Observability:*</c> and checked by <see cref="ObservabilityOptionsValidator"/>.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Port serving <c>/metrics</c> (Prometheus), <c>/health/live</c> and <c>/health/ready</c>; 0 = off.</summary>
    public int MetricsPort { get; set; }

    /// <summary>Address the endpoint listens on: <c>127.0.0.1</c> by default, <c>0.0.0.0</c> in a container.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>How often a pass that lasts longer than this logs its progress (and refreshes it in Redis for <c>status</c>).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Kestrel URL of the endpoint; an IPv6 literal is bracketed (<c>http://[::1]:9464</c>).</summary>
    public string ListenUrl() =>
        System.Net.IPAddress.TryParse(ListenAddress, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"http://[{address}]:{MetricsPort}"
            : $"http://{ListenAddress}:{MetricsPort}";
}
