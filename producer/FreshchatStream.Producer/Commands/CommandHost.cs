using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// Builds the host a command runs in: configuration from <c>appsettings.json</c> next to the executable,
/// <c>appsettings.{Environment}.json</c>, environment variables (<c>Freshchat__ApiKey</c>) and
/// <c>--Section:Key=value</c> arguments, in that order of precedence (last wins).
/// </summary>
public static class CommandHost
{
    public static HostApplicationBuilder CreateBuilder(IReadOnlyList<string> configuration, LogLevel? minimumLevel = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. configuration],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddServiceDefaults();
        if (minimumLevel is { } level)
        {
            builder.Logging.SetMinimumLevel(level);
            builder.Logging.AddFilter("Microsoft", level);
        }

        return builder;
    }

    /// <summary>The same configuration sources and defaults on a web host (for the metrics and health endpoint).</summary>
    public static Microsoft.AspNetCore.Builder.WebApplicationBuilder CreateWebBuilder(IReadOnlyList<string> configuration)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions
        {
            Args = [.. configuration],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddServiceDefaults();
        return builder;
    }
}
