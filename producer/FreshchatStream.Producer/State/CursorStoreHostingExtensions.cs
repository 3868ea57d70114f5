using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the capture state store.</summary>
public static class CursorStoreHostingExtensions
{
    /// <summary>
    /// Adds <see cref="RedisOptions"/> (<c>Redis:*</c>, validated on start) and <see cref="RedisCursorStore"/> as
    /// the <see cref="ICursorStore"/>. The connection (<see cref="RedisConnection"/>, one per process) is opened on first use and survives Redis restarts.
    /// </summary>
    public static IHostApplicationBuilder AddCursorStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<RedisOptions>().BindConfiguration(RedisOptions.Section);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        builder.Services.TryAddSingleton<RedisConnection>();
        builder.Services.TryAddSingleton<RedisCursorStore>();
        builder.Services.TryAddSingleton<ICursorStore>(provider => provider.GetRequiredService<RedisCursorStore>());
        return builder;
    }
}
