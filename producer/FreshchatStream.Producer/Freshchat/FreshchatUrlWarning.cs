using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// In the hosting namespace it was registered from, so its log category (the type's full name) stays what operators filter on.
namespace Microsoft.Extensions.Hosting;

/// <summary>Warns once at start when the API key would travel over plain HTTP to a host that is not this machine.</summary>
internal sealed class FreshchatUrlWarning(IOptions<FreshchatOptions> options, ILogger<FreshchatUrlWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(options.Value.BaseUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            Log.PlainHttp(logger, url.Host);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
