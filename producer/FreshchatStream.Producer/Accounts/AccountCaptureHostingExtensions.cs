using FreshchatStream.Producer.Accounts;
using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the capture of many accounts in one process (<c>Accounts:*</c>).</summary>
public static class AccountCaptureHostingExtensions
{
    /// <summary>
    /// Adds what the accounts share — the Kafka producer and publisher, the Schema Registry client, the Redis
    /// connection — and <see cref="AccountCaptures"/>, driven for <c>run</c> by <see cref="AccountAssignment"/> (the
    /// group coordinator decides which accounts this instance captures) and for <c>--once</c>/<c>snapshot</c> by
    /// <see cref="AccountCaptureOnce"/> (every account, once). Each account runs in its own <see cref="AccountCaptureHost"/>.
    /// </summary>
    /// <exception cref="FreshchatStream.Producer.Commands.ConfigurationErrorException">An invalid account name or key.</exception>
    public static IHostApplicationBuilder AddAccountCaptures(this IHostApplicationBuilder builder, CaptureRun run)
    {
        builder.AddCaptureOptions();
        builder.AddCursorStore();
        builder.AddChangePublisher();
        // An out-of-range count fails option validation at start; this only keeps the mapping computable until then.
        var partitions = int.TryParse(builder.Configuration["Capture:AssignmentPartitions"], out var configured) && configured > 0
            ? configured : new CaptureOptions().AssignmentPartitions;
        var accounts = AccountsConfiguration.Read(builder.Configuration, partitions);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(run);
        services.TryAddSingleton<CaptureOutcome>();
        services.TryAddSingleton(provider => new SharedCaptureServices(provider));
        services.TryAddSingleton(provider => new AccountCaptures(accounts, run, provider.GetRequiredService<SharedCaptureServices>(),
            provider.GetRequiredService<ILogger<AccountCaptures>>()));
        services.AddHealthChecks().AddCheck<AccountsReadinessCheck>("accounts", tags: ["ready"]);
        // The process-level lease check would describe a lease no one takes here: each account's lease is in "accounts".
        services.PostConfigure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>(options =>
        {
            foreach (var lease in options.Registrations.Where(r => r.Name == "lease").ToList())
            {
                options.Registrations.Remove(lease);
            }
        });
        if (builder.Configuration.GetValue<bool?>("Webhooks:Enabled") == true && !run.Once)
        {
            // Every instance serves every account's route, whichever accounts it captures: the signal reaches the
            // capturing instance through the account's Redis namespace.
            builder.AddWebhookOptions();
            services.TryAddSingleton<FreshchatStream.Producer.Webhooks.WebhookMetrics>();
            services.TryAddSingleton(provider => AccountWebhooks.Build(accounts, provider.GetRequiredService<SharedCaptureServices>(),
                provider.GetRequiredService<FreshchatStream.Producer.Webhooks.WebhookMetrics>()));
        }

        if (run.Once)
        {
            services.AddHostedService<AccountCaptureOnce>();
        }
        else
        {
            services.AddHostedService<AccountAssignment>();
        }

        return builder;
    }
}
