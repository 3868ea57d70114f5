using FreshchatStream.Hosting;
using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Composes the producer from its components, one <c>AddXxx</c> each.</summary>
public static class FreshchatStreamHostingExtensions
{
    /// <summary>
    /// The whole producer: Freshchat client, Redis cursor store, Kafka publisher, the capture worker for
    /// <paramref name="run"/> and the webhook ingress, with single-line console logs on standard output. With
    /// <c>Accounts:*</c> configured, the accounts' captures instead (<see cref="AccountCaptureHostingExtensions.AddAccountCaptures"/>).
    /// </summary>
    public static IHostApplicationBuilder AddFreshchatStream(this IHostApplicationBuilder builder, CaptureRun run)
    {
        builder.AddServiceDefaults();
        if (FreshchatStream.Producer.Accounts.AccountsConfiguration.IsConfigured(builder.Configuration))
        {
            // Many accounts: each gets its own capture host inside this process, and its own webhook route (AccountWebhooks).
            builder.AddAccountCaptures(run);
            builder.AddObservabilityOptions();
            builder.AddTelemetryExport();
            return builder;
        }

        builder.AddFreshchatClient();
        builder.AddCursorStore();
        builder.AddChangePublisher();
        builder.AddCapture(run);
        builder.AddWebhooks();
        builder.AddObservabilityOptions();
        builder.AddTelemetryExport();
        return builder;
    }

    /// <summary>
    /// Logging and shutdown defaults shared by every command: console logs on stdout (one line each; set
    /// <c>Logging:Console:FormatterName=json</c> for JSON), and a shutdown timeout above the Kafka flush timeout
    /// so the host does not cut the final flush short.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddConsoleLogging();
        // Polly reports every execution at Information; retries and breaker changes still show as warnings.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(60));
        return builder;
    }
}
