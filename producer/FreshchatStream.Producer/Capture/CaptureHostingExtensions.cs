using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Progress;
using FreshchatStream.Producer.Capture.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.TryAddSingleton<ConversationSignals>();
        services.TryAddSingleton<RawReportWindow>();
        services.TryAddSingleton<ReportDiscovery>();
        services.AddSingleton(run);

        // Registration order is capture order: cheap catalogues first, then users and raw reports (which
        // discover conversations), then the conversations themselves.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, AccountConfigurationCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, RolesCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, GroupsCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, ChannelsCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, AgentsCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, OutboundMessagesCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, UsersCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, ReportsCapture>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceCapture, ConversationsCapture>());
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
