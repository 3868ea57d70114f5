using Microsoft.Extensions.Configuration;
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
    /// <c>Logging:Console:FormatterName</c> names (<c>json</c>, <c>simple</c>, <c>systemd</c>); the host's own
    /// lifetime chatter only from Warning.
    /// </summary>
    public static IHostApplicationBuilder AddConsoleLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        // WebApplication.CreateSlimBuilder registers the simple console formatter with code that runs after the
        // configuration is bound, so without this a process serving its metrics endpoint would ignore
        // Logging:Console:FormatterName=json. A post-configuration runs after every other configuration step.
        var configuration = builder.Configuration;
        builder.Services.PostConfigure<ConsoleLoggerOptions>(options =>
        {
            if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } name)
            {
                options.FormatterName = name;
            }
        });
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
