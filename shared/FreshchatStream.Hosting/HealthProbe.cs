using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Hosting;

/// <summary>
/// The <c>health</c> command of the producer and the landers: asks the process's own health endpoint
/// (<c>/health/live</c>, or <c>/health/ready</c> with <c>--ready</c>) and turns the answer into an exit code, so a
/// container healthcheck needs no shell, curl or <c>/dev/tcp</c> (<c>["CMD", "dotnet", "app.dll", "health"]</c>).
/// It reads only <c>Observability:*</c>: probing must not depend on secrets or other sections being valid.
/// </summary>
public static class HealthProbe
{
    /// <summary>Exit code when the endpoint answered 200.</summary>
    public const int Healthy = 0;

    /// <summary>Exit code when the endpoint answered otherwise, or not within the timeout.</summary>
    public const int Unhealthy = 1;

    /// <summary>Exit code when <c>Observability:*</c> does not describe an endpoint to probe.</summary>
    public const int NotConfigured = 2;

    /// <summary>How long one probe waits: short, so a hung process is reported before the orchestrator's own timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Probes the endpoint <paramref name="configuration"/> describes; writes one line to <paramref name="error"/> unless healthy.</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, bool ready, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(error);
        ObservabilityOptions options;
        try
        {
            options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        }
        catch (InvalidOperationException)
        {
            await error.WriteLineAsync("health: Observability:MetricsPort must be a port number (1-65535); the health endpoint is not configured.");
            return NotConfigured;
        }

        if (options.MetricsPort is < 1 or > 65535)
        {
            await error.WriteLineAsync("health: Observability:MetricsPort is 0 (off) or out of range; set it to the port of the health endpoint.");
            return NotConfigured;
        }

        if (new ObservabilityOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            await error.WriteLineAsync($"health: {string.Join(" ", invalid.Failures)}");
            return NotConfigured;
        }

        var uri = options.ProbeUri(ready ? "/health/ready" : "/health/live");
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return Healthy;
            }

            await error.WriteLineAsync($"health: {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            return Unhealthy;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"health: {uri} did not answer: {e.Message}");
            return Unhealthy;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"health: {uri} did not answer within {Timeout.TotalSeconds:0} s.");
            return Unhealthy;
        }
    }
}
