using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace FreshchatStream.Hosting;

/// <summary>Makes <c>Logging:Console:FormatterName</c> (<c>json</c>, <c>simple</c>, <c>systemd</c>) hold on every host kind.</summary>
public static class ConsoleFormatterSelection
{
    /// <summary>
    /// <c>WebApplication.CreateSlimBuilder</c> registers the simple console formatter with code that runs after the
    /// configuration is bound, so without this a process serving its metrics endpoint ignores
    /// <c>Logging:Console:FormatterName=json</c>. Applied after every other configuration step.
    /// </summary>
    public static IHostApplicationBuilder UseConfiguredConsoleFormatter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.PostConfigure<ConsoleLoggerOptions>(options =>
        {
            if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } name)
            {
                options.FormatterName = name;
            }
        });
        return builder;
    }
}
