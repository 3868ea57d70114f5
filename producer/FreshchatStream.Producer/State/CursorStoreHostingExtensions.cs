using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the capture state store and the account's lease.</summary>
public static class CursorStoreHostingExtensions
{
    /// <summary>
    /// Adds <see cref="RedisOptions"/> (<c>Redis:*</c>) and <see cref="LeaseOptions"/> (<c>Capture:Lease*</c>,
    /// <c>Capture:InstanceId</c>), both validated on start, one shared <see cref="RedisConnection"/> (opened on first use,
    /// surviving Redis restarts), the account's <see cref="CaptureLease"/>, and <see cref="RedisCursorStore"/> fenced by
    /// that lease as the <see cref="ICursorStore"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCursorStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<RedisOptions>().BindConfiguration(RedisOptions.Section);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        builder.AddLeaseOptions();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CaptureAccount.FromConfiguration(builder.Configuration));
        services.TryAddSingleton(provider => new RedisConnection(provider.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!));
        services.TryAddSingleton(provider => new RedisKeys(provider.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.TryAddSingleton(provider => new CaptureLease(
            provider.GetRequiredService<CaptureAccount>().Name,
            provider.GetRequiredService<RedisKeys>(),
            provider.GetRequiredService<RedisConnection>(),
            provider.GetRequiredService<IOptions<LeaseOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<CaptureLease>>()));
        services.TryAddSingleton(provider => new RedisCursorStore(
            provider.GetRequiredService<RedisConnection>(),
            provider.GetRequiredService<RedisKeys>(),
            provider.GetRequiredService<ILogger<RedisCursorStore>>(),
            provider.GetRequiredService<CaptureLease>()));
        services.TryAddSingleton<ICursorStore>(provider => provider.GetRequiredService<RedisCursorStore>());
        return builder;
    }

    /// <summary>
    /// Only <see cref="LeaseOptions"/>, validated on start: the instance id is also the Freshchat User-Agent's, so the
    /// Freshchat client binds it too. Safe to call more than once.
    /// </summary>
    public static IHostApplicationBuilder AddLeaseOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<LeaseOptions>().BindConfiguration(LeaseOptions.Section);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeaseOptions>, LeaseOptionsValidator>());
        return builder;
    }
}
