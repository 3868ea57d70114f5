using FreshchatStream.Hosting;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>check</c>: validates every option (exit 2 naming the key) and then reaches each dependency once —
/// Freshchat (authenticated, the cheapest call), the Schema Registry, Kafka (cluster metadata) and Redis —
/// printing one line per check. Any unreachable dependency exits 3 with one line on standard error. Once every
/// dependency answered, it prints the readings it detected on the Freshchat account (<see cref="AccountReadings"/>).
/// With <c>Accounts:*</c>, <c>--account NAME</c> checks that account (its Freshchat, its Redis namespace); without it every
/// account is checked in turn, one block per account headed <c>account NAME</c>, and any failure exits 3 naming its account.
/// </summary>
public static class CheckCommand
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> ExecuteAsync(IReadOnlyList<string> configuration, TextWriter output, string? account = null)
    {
        var builder = CommandHost.CreateBuilder(configuration, LogLevel.Warning);
        var accounts = AccountSelection.Configured(builder.Configuration);
        var selected = account is null ? accounts : [AccountSelection.Find(accounts, account)];
        if (selected.Count == 0)
        {
            return Throw(await CheckAsync(builder, output));
        }

        var failures = new List<string>();
        foreach (var each in selected)
        {
            // A host per account: each is checked with exactly the configuration its capture runs with.
            var scoped = CommandHost.CreateBuilder(configuration, LogLevel.Warning);
            AccountSelection.Apply(scoped, each);
            output.WriteLine($"account {each.Name}");
            failures.AddRange((await CheckAsync(scoped, output)).Select(f => $"account {each.Name}: {f}"));
            if (selected.Count > 1)
            {
                output.WriteLine();
            }
        }

        return Throw(failures);
    }

    private static int Throw(IReadOnlyList<string> failures) =>
        failures.Count > 0 ? throw new UpstreamCheckException(string.Join("; ", failures)) : ExitCodes.Ok;

    /// <summary>One account's checks; the failures, empty when every dependency answered.</summary>
    private static async Task<IReadOnlyList<string>> CheckAsync(Microsoft.Extensions.Hosting.HostApplicationBuilder builder, TextWriter output)
    {
        builder.AddFreshchatClient();
        builder.AddCursorStore();
        builder.AddChangePublisher();
        builder.AddCaptureOptions();
        builder.AddObservabilityOptions();
        builder.AddWebhookOptions();
        using var host = builder.Build();
        var services = host.Services;
        _ = services.GetRequiredService<IOptions<FreshchatOptions>>().Value;
        _ = services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RedisOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Capture.CaptureOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Webhooks.WebhookOptions>>().Value;
        output.WriteLine("ok   configuration");

        var failures = new List<string>();
        foreach (var probe in DependencyProbes.For(services, services.GetRequiredService<IOptions<KafkaOptions>>().Value.AdminTimeout, spendFreshchatRequest: true))
        {
            var result = await probe.RunAsync(ProbeTimeout, CancellationToken.None);
            output.WriteLine(result.Reached ? $"ok   {probe.Name}: {result.Found}" : $"FAIL {probe.Name}: {result.Failure}");
            if (!result.Reached)
            {
                failures.Add($"{probe.Name}: {result.Failure}");
            }
        }

        if (failures.Count > 0)
        {
            return failures;
        }

        output.WriteLine(await FirstCycleEstimateLineAsync(services));
        output.WriteLine("readings detected on this Freshchat account:");
        var readings = new AccountReadings(services.GetRequiredService<IFreshchatClient>(), services.GetRequiredService<FreshchatTransport>(),
            services.GetRequiredService<FreshchatMetrics>());
        using var limit = new CancellationTokenSource(ProbeTimeout * 2);
        foreach (var (reading, value) in await readings.DetectAsync(limit.Token))
        {
            output.WriteLine($"     {reading,-24} {value}");
        }

        return failures;
    }

    /// <summary>The first-cycle estimate (11 requests); never fails <c>check</c>.</summary>
    private static async Task<string> FirstCycleEstimateLineAsync(IServiceProvider services)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ProbeTimeout);
            var estimate = await Capture.Progress.FirstCycleSurvey.RunAsync(services.GetRequiredService<IFreshchatClient>(), services.GetRequiredService<ListingTotals>(),
                services.GetRequiredService<IOptions<FreshchatOptions>>().Value, services.GetRequiredService<IOptions<Capture.CaptureOptions>>().Value, timeout.Token);
            return estimate is null ? "--   estimate: unknown (the users listing does not report total_items)" : $"ok   estimate: {estimate.Describe()}";
        }
        catch (Exception e) when (e is FreshchatException or OperationCanceledException or HttpRequestException)
        {
            return $"--   estimate: unknown ({e.Message})";
        }
    }
}

/// <summary>One or more dependencies failed <c>check</c>: exit code 3.</summary>
public sealed class UpstreamCheckException(string message) : Exception(message);
