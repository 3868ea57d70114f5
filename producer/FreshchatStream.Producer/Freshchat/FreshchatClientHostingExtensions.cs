using System.Net;
using System.Threading.RateLimiting;
using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the Freshchat API client.</summary>
public static class FreshchatClientHostingExtensions
{
    /// <summary>
    /// Adds <see cref="FreshchatOptions"/> (<c>Freshchat:*</c>, validated on start), one process-wide request budget,
    /// <see cref="FreshchatMetrics"/>, and <see cref="IFreshchatClient"/> as a typed <see cref="HttpClient"/> with the
    /// <see cref="FreshchatResilience"/> pipeline, sending <see cref="FreshchatUserAgent"/> with this instance's id. HttpClient's own request logging is removed: it would log URLs
    /// at Information level for every call, and no header (the bearer token) must ever reach a log.
    /// </summary>
    public static IHostApplicationBuilder AddFreshchatClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<FreshchatOptions>().BindConfiguration(FreshchatOptions.Section).ValidateDataAnnotations();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FreshchatOptions>, FreshchatOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(FreshchatStream.Producer.Capture.CaptureAccount.FromConfiguration(builder.Configuration));
        services.TryAddSingleton<FreshchatMetrics>();
        services.TryAddSingleton<ListingRejects>();
        services.TryAddSingleton<EndpointAccess>();
        services.TryAddSingleton<ListingTotals>();
        services.TryAddKeyedSingleton<RateLimiter>(FreshchatResilience.PipelineName,
            (provider, _) => FreshchatResilience.CreateLimiter(provider.GetRequiredService<IOptions<FreshchatOptions>>().Value.RequestsPerMinute));
        // The gate belongs to the client (the account) like the bucket: requests in flight and the server's window
        // are per account, so it is never a process-wide static.
        services.TryAddKeyedSingleton(FreshchatResilience.PipelineName, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<FreshchatOptions>>().Value;
            return new FreshchatRequestGate(options.MaxConcurrency, options.RateLimitHeadroom, provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<FreshchatRequestGate>(), options.RequestsPerMinute);
        });
        services.TryAddTransient(provider => new RateLimitHeadroomHandler(
            provider.GetRequiredKeyedService<RateLimiter>(FreshchatResilience.PipelineName),
            provider.GetRequiredKeyedService<FreshchatRequestGate>(FreshchatResilience.PipelineName),
            provider.GetRequiredService<FreshchatMetrics>()));
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<FreshchatOptions>>().Value);

        builder.AddLeaseOptions();
        var http = services.AddHttpClient<FreshchatTransport>((provider, http) =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan;
                // Without validation: the comment is the configured instance id, validated at start (no whitespace).
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent",
                    FreshchatUserAgent.Format(provider.GetRequiredService<IOptions<FreshchatStream.Producer.State.LeaseOptions>>().Value.ResolvedInstanceId));
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
        // Handlers run in registration order, outermost first: the pipeline wraps the per-attempt handler.
        http.AddResilienceHandler(FreshchatResilience.PipelineName, (pipeline, context) =>
            {
                var provider = context.ServiceProvider;
                FreshchatResilience.Configure(pipeline, provider.GetRequiredService<IOptions<FreshchatOptions>>().Value,
                    provider.GetRequiredKeyedService<RateLimiter>(FreshchatResilience.PipelineName), provider.GetRequiredService<FreshchatMetrics>());
            });
        http.AddHttpMessageHandler<RateLimitHeadroomHandler>();
        services.TryAddSingleton<IFreshchatClient, FreshchatClient>();
        services.AddHostedService<FreshchatUrlWarning>();
        return builder;
    }
}
