using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FreshchatStream.Hosting;

/// <summary>The console logs of the producer and the landers alike, so operators parse one format from both.</summary>
public static class ConsoleLogging
{
    /// <summary>
    /// Console logs only, one line each with a UTC millisecond timestamp, or the formatter
    /// <c>Logging:Console:FormatterName</c> names (<see cref="ConsoleFormatterSelection"/>); the host's own
    /// lifetime chatter only from Warning.
    /// </summary>
    public static IHostApplicationBuilder AddConsoleLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.UseConfiguredConsoleFormatter();
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        return builder;
    }
}
