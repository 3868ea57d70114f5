using System.Net;
using System.Net.Sockets;

namespace FreshchatStream.Hosting;

/// <summary>
/// The metrics and health endpoint and the OTLP export of a FreshchatStream process (the producer's <c>run</c>, a
/// lander), bound from <c>Observability:*</c> and checked by <see cref="ObservabilityOptionsValidator"/>.
/// </summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Port serving <c>/metrics</c> (Prometheus), <c>/health/live</c> and <c>/health/ready</c>; 0 = off.</summary>
    public int MetricsPort { get; set; }

    /// <summary>Address the endpoint listens on: <c>127.0.0.1</c> by default, <c>0.0.0.0</c> in a container.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>How often a producer pass that lasts longer than this logs its progress (and refreshes it in Redis for <c>status</c>).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>OTLP export of metrics and traces (<c>Observability:Otlp:*</c>); off unless an endpoint is set.</summary>
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>The Kestrel URL of the endpoint; an IPv6 literal is bracketed (<c>http://[::1]:9464</c>).</summary>
    public string ListenUrl() => $"http://{Host(ListenAddress)}:{MetricsPort}";

    /// <summary>
    /// Where the <c>health</c> command finds <paramref name="path"/> from inside the same container or host: the
    /// listen address itself, or loopback when the endpoint listens on every address (<c>0.0.0.0</c>, <c>::</c>).
    /// </summary>
    public Uri ProbeUri(string path)
    {
        var address = ListenAddress switch
        {
            "0.0.0.0" or "*" or "+" => "127.0.0.1",
            _ when ListenAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase) => "127.0.0.1",
            // Kestrel binds [::] dual-stack, and IPv4 loopback also answers where IPv6 is disabled (Docker's default).
            _ when IPAddress.TryParse(ListenAddress, out var ip) && ip.Equals(IPAddress.IPv6Any) => "127.0.0.1",
            _ => ListenAddress,
        };
        return new Uri($"http://{Host(address)}:{MetricsPort}{path}");
    }

    private static string Host(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : address;
}
