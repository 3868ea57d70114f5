using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Progress;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the capture engine: options, strategies, the cycle and the worker that runs it.</summary>
public static class CaptureHostingExtensions
{
    /// <summary>
    /// Adds <see cref="CaptureOptions"/> (<c>Capture:*</c>, validated on start), one strategy per resource family
    /// and <see cref="CaptureWorker"/> running <paramref name="run"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCapture(this IHostApplicationBuilder builder, CaptureRun run)
    {
        builder.AddCaptureOptions();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CaptureAccount.FromConfiguration(builder.Configuration));
        services.TryAddSingleton<CaptureMetrics>();
        services.TryAddSingleton<CaptureOutcome>();
        // Signals live beside the account's state: in Redis, where any replica's webhook ingress records them.
        services.TryAddSingleton<IConversationSignalStore>(provider => provider.GetRequiredService<ICursorStore>() is RedisCursorStore redis
            ? new RedisConversationSignalStore(redis)
            : new InMemoryConversationSignalStore());
        services.TryAddSingleton(provider => new ConversationSignals(provider.GetRequiredService<IConversationSignalStore>(),
            provider.GetRequiredService<ILogger<ConversationSignals>>()));
        services.TryAddSingleton<RawReportWindow>();
        services.TryAddSingleton<ReportDiscovery>();
        services.TryAddSingleton<ReportHints>();
        services.AddSingleton(run);

        foreach (var strategy in CaptureCatalogue.Strategies)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IResourceCapture), strategy));
        }

        services.TryAddSingleton<StateLossRecovery>();
        services.TryAddSingleton<CaptureCycle>();
        services.TryAddSingleton<ProgressStore>();
        services.TryAddSingleton<CaptureProgress>();
        services.AddHostedService<CaptureWorker>();
        services.AddHostedService<ProgressReporter>();
        return builder;
    }

    /// <summary>
    /// Only <see cref="CaptureOptions"/> (<c>Capture:*</c>), validated on start: what <c>check</c> needs to
    /// reject a bad capture setting without running capture.
    /// </summary>
    public static IHostApplicationBuilder AddCaptureOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<CaptureOptions>().BindConfiguration(CaptureOptions.Section).ValidateDataAnnotations();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaptureOptions>, CaptureOptionsValidator>());
        return builder;
    }
}
