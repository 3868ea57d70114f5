using System.Net;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Hosting;

/// <summary>
/// Validates <c>Observability:*</c> for every command, even when the endpoint is off, so a typo fails at start
/// rather than on the day someone turns the endpoint on.
/// </summary>
public sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    // Kestrel's own wildcards besides literal addresses; host names other than localhost would be resolved
    // by Kestrel to one address anyway, so they are refused rather than guessed.
    private static readonly string[] Wildcards = ["localhost", "*", "+"];

    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MetricsPort is < 0 or > 65535)
        {
            failures.Add($"Observability:MetricsPort must be between 0 (off) and 65535 (got {options.MetricsPort}).");
        }

        if (!IPAddress.TryParse(options.ListenAddress, out _) && !Wildcards.Contains(options.ListenAddress, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add("Observability:ListenAddress must be an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or localhost.");
        }

        var otlp = options.Otlp ?? new OtlpOptions();
        if (!string.IsNullOrEmpty(otlp.Endpoint))
        {
            // The endpoint is not echoed: a collector URL may carry a token in its query.
            if (!Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                failures.Add("Observability:Otlp:Endpoint must be an absolute http:// or https:// URI (e.g. http://otel-collector:4317).");
            }
        }

        if (otlp.Protocol is not ("grpc" or "http/protobuf"))
        {
            failures.Add("Observability:Otlp:Protocol must be grpc or http/protobuf.");
        }

        if (!string.IsNullOrEmpty(otlp.Headers)
            && otlp.Headers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(pair => pair.IndexOf('=', StringComparison.Ordinal) <= 0))
        {
            failures.Add("Observability:Otlp:Headers must be key=value pairs separated by commas.");
        }

        if (options.ProgressInterval < TimeSpan.FromMilliseconds(100) || options.ProgressInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Observability:ProgressInterval must be between 00:00:00.1 and 01:00:00 (got {options.ProgressInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
