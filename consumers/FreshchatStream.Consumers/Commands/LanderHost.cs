using FreshchatStream.Consumers.Observability;
using FreshchatStream.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FreshchatStream.Consumers.Commands;

/// <summary>
/// The host a lander runs in: configuration from <c>appsettings.json</c> next to the executable, environment variables
/// (<c>Kafka__sasl.password</c>, <c>Postgres__ConnectionString</c>), <c>--Section:Key=value</c> arguments and then the
/// documented options, last wins; console logs (one line each, or JSON with <c>Logging:Console:FormatterName=json</c>);
/// and, when <c>Observability:MetricsPort</c> is set, a web host serving <c>/metrics</c>, <c>/health/live</c> and
/// <c>/health/ready</c>; metrics also go over OTLP when <c>Observability:Otlp:Endpoint</c> is set.
/// </summary>
public static class LanderHost
{
    /// <summary>The lander's configuration alone, with the same sources, for commands that need no host (<c>health</c>).</summary>
    public static IConfiguration Configuration(LanderArguments arguments) => CreateBuilder(arguments, forceHost: true).Configuration;

    /// <summary>A web builder when the metrics port is set, a plain host builder otherwise, with configuration and logging.</summary>
    public static IHostApplicationBuilder CreateBuilder(LanderArguments arguments, bool forceHost = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var overrides = arguments.ConfigurationOverrides();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. arguments.ConfigurationArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(overrides);
        if (forceHost || (builder.Configuration.GetValue<int?>($"{ObservabilityOptions.Section}:MetricsPort") ?? 0) <= 0)
        {
            return Configure(builder, arguments);
        }

        var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. arguments.ConfigurationArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });
        web.Configuration.AddInMemoryCollection(overrides);
        return Configure(web, arguments);
    }

    /// <summary>
    /// Validates <c>Observability:*</c> (naming the key), registers the lander's metrics and readiness and builds the
    /// host; with a web builder, maps the endpoints on the configured address.
    /// </summary>
    public static IHost Build(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var observability = builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        if (new ObservabilityOptionsValidator().Validate(null, observability) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(ObservabilityOptions.Section, typeof(ObservabilityOptions), invalid.Failures);
        }

        builder.Services.AddSingleton<LanderMetrics>();
        builder.Services.AddSingleton<LanderReadiness>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("freshchat-landers"))
            .WithMetrics(metrics => metrics.AddMeter(LanderMetrics.MeterName));
        telemetry.AddConfiguredOtlpExport(builder.Configuration);
        if (builder is not WebApplicationBuilder web)
        {
            return ((HostApplicationBuilder)builder).Build();
        }

        web.WebHost.UseUrls(observability.ListenUrl());
        telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());
        web.Services.AddHealthChecks().AddCheck<LanderReadinessCheck>("lander", tags: ["ready"]);
        var app = web.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    private static IHostApplicationBuilder Configure(IHostApplicationBuilder builder, LanderArguments arguments)
    {
        builder.AddConsoleLogging();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (arguments.Has("quiet"))
        {
            builder.Logging.AddFilter(category: null, LogLevel.Warning); // after the configured levels, so it wins over Logging:LogLevel:Default
        }

        return builder;
    }
}
