using FreshchatStream.Producer.State;
using FreshchatStream.Producer.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The optional webhook ingress of <c>run</c>: options, health tracking, signature check and the endpoint.</summary>
public static class WebhookHostingExtensions
{
    /// <summary>
    /// Adds <see cref="WebhookOptions"/> (validated on start by every command that calls it), the
    /// <see cref="WebhookActivity"/> that capture consults for its cadence, and the ingress the endpoint uses.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.AddWebhookOptions();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookMetrics>();
        services.TryAddSingleton<WebhookActivity>();
        services.TryAddSingleton(sp => WebhookSignature.Create(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.PublicKey!));
        services.TryAddSingleton<IAcknowledgedWebhookStore>(provider => provider.GetRequiredService<ICursorStore>() is RedisCursorStore redis
            ? new RedisAcknowledgedWebhookStore(redis, provider.GetRequiredService<TimeProvider>())
            : new InMemoryAcknowledgedWebhookStore(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WebhookIngress>();
        return builder;
    }

    /// <summary>Only <see cref="WebhookOptions"/> (<c>Webhooks:*</c>), validated on start. Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddWebhookOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        return builder;
    }

    /// <summary>
    /// <c>POST {Webhooks:Path}</c>, or with <c>Accounts:*</c> <c>POST {Webhooks:Path}/{account}</c> (404 for a name not configured). When the metrics endpoint listens on another port, each port serves only its own
    /// paths, so a webhook port exposed to the internet does not also expose <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapWebhooks(this WebApplication app, int metricsPort)
    {
        var options = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        WebhookOptionsValidator.TryParseListen(options.Listen, out var webhookPort);
        var accounts = app.Services.GetService<FreshchatStream.Producer.Accounts.AccountWebhooks>();
        if (metricsPort > 0 && metricsPort != webhookPort)
        {
            app.Use((context, next) =>
            {
                var onWebhookPort = context.Connection.LocalPort == webhookPort;
                var webhookPath = accounts is null
                    ? context.Request.Path.Equals(options.Path, StringComparison.OrdinalIgnoreCase)
                    : context.Request.Path.StartsWithSegments(options.Path, StringComparison.OrdinalIgnoreCase);
                if (onWebhookPort != webhookPath)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        if (accounts is null)
        {
            app.MapPost(options.Path, WebhookEndpoint.HandleAsync);
            return app;
        }

        app.MapPost(options.Path.TrimEnd('/') + "/{account}", (HttpContext context, string account, IOptions<WebhookOptions> webhookOptions, WebhookMetrics metrics) =>
            accounts.For(account) is { } ingress
                ? WebhookEndpoint.HandleAsync(context, ingress, webhookOptions, metrics)
                : Task.FromResult(Results.Text($"No account '{account}' is configured under Accounts.", statusCode: StatusCodes.Status404NotFound)));
        return app;
    }
}
