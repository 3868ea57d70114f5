using FreshchatStream.Hosting;
using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>run</c>: capture until SIGTERM/Ctrl-C; <c>run --once</c>: one cycle, then exit (0 when every resource
/// succeeded). <c>snapshot</c> shares it with <see cref="CaptureMode.Snapshot"/>.
/// </summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> configuration, CaptureMode mode, bool once, string? resourcesOption, TextWriter console,
        CancellationToken stop = default)
    {
        var builder = CommandHost.CreateBuilder(configuration);
        var resources = SelectResources(resourcesOption, builder);
        var run = new CaptureRun(mode, resources, Once: mode == CaptureMode.Snapshot || once)
        {
            ProgressConsole = mode == CaptureMode.Snapshot ? console : null,
        };
        var metricsPort = builder.Configuration.GetValue<int?>("Observability:MetricsPort") ?? 0;
        var webhooks = builder.Configuration.GetValue<bool?>("Webhooks:Enabled") ?? false;
        using var host = (metricsPort > 0 || webhooks) && !run.Once ? BuildWithEndpoint(configuration, run, metricsPort, webhooks) : BuildWithoutEndpoint(builder, run);
        var outcome = host.Services.GetRequiredService<CaptureOutcome>();
        // Every option is validated before anything is reached, so a bad key exits 2 without touching the network.
        host.Services.GetService<IStartupValidator>()?.Validate();
        host.Services.GetService<Accounts.AccountCaptures>()?.Validate();
        var startupTimeout = host.Services.GetRequiredService<IOptions<CaptureOptions>>().Value.StartupTimeout;
        try
        {
            await DependencyProbes.WaitUntilReachableAsync(host.Services, startupTimeout, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok; // stopped while waiting: nothing was read or published
        }

        await host.RunAsync(stop);
        if (outcome.Failure is { } failure)
        {
            throw new CaptureFatalException(failure);
        }

        if (mode == CaptureMode.Snapshot && outcome.LastCycle is { } cycle)
        {
            console.WriteLine($"snapshot done: {cycle.Events} event(s) re-emitted as op=r over {string.Join(", ", resources)}");
        }

        return ExitCodes.Ok;
    }

    private static IHost BuildWithoutEndpoint(HostApplicationBuilder builder, CaptureRun run)
    {
        builder.AddFreshchatStream(run);
        return builder.Build();
    }

    /// <summary>
    /// A web host only when <c>Observability:MetricsPort</c> is set or <c>Webhooks:Enabled</c>: it serves metrics
    /// and health, and the webhook endpoint, while capture runs.
    /// </summary>
    private static WebApplication BuildWithEndpoint(IReadOnlyList<string> configuration, CaptureRun run, int metricsPort, bool webhooks)
    {
        var builder = CommandHost.CreateWebBuilder(configuration);
        // Checked here too: Kestrel would otherwise fail on a URL before the host validates its options.
        var observability = Validated<ObservabilityOptions>(builder, ObservabilityOptions.Section, new ObservabilityOptionsValidator());
        var webhookOptions = Validated<Webhooks.WebhookOptions>(builder, Webhooks.WebhookOptions.Section, new Webhooks.WebhookOptionsValidator());
        string[] urls = [.. metricsPort > 0 ? [observability.ListenUrl()] : Array.Empty<string>(), .. webhooks ? [webhookOptions.Listen] : Array.Empty<string>()];
        builder.WebHost.UseUrls([.. urls.Distinct(StringComparer.OrdinalIgnoreCase)]);
        builder.AddFreshchatStream(run);
        var app = metricsPort > 0 ? BuildObservable(builder) : builder.Build();
        return webhooks ? app.MapWebhooks(metricsPort) : app;
    }

    private static WebApplication BuildObservable(WebApplicationBuilder builder)
    {
        builder.AddObservability();
        return builder.Build().MapObservability();
    }

    private static T Validated<T>(WebApplicationBuilder builder, string section, IValidateOptions<T> validator)
        where T : class, new()
    {
        var options = builder.Configuration.GetSection(section).Get<T>() ?? new();
        if (validator.Validate(null, options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(section, typeof(T), invalid.Failures);
        }

        return options;
    }

    private static IReadOnlyList<string> SelectResources(string? option, HostApplicationBuilder builder)
    {
        try
        {
            return CaptureCatalogue.Parse(option ?? builder.Configuration["Capture:Resources"]);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationErrorException(option is null ? e.Message : e.Message.Replace("Capture:Resources", "--resources", StringComparison.Ordinal));
        }
    }
}
