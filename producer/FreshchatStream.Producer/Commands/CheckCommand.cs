using Confluent.Kafka;
using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>check</c>: validates every option (exit 2 naming the key) and then reaches each dependency once —
/// Freshchat (authenticated, the cheapest call), the Schema Registry, Kafka (cluster metadata) and Redis —
/// printing one line per check. Any unreachable dependency exits 3 with one line on standard error.
/// </summary>
public static class CheckCommand
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public static async Task<int> ExecuteAsync(ParsedArguments arguments, TextWriter output)
    {
        var builder = CommandHost.CreateBuilder(arguments, LogLevel.Warning);
        builder.AddFreshchatClient();
        builder.AddCursorStore();
        builder.AddChangePublisher();
        builder.AddCaptureOptions();
        builder.AddObservabilityOptions();
        using var host = builder.Build();
        var services = host.Services;
        _ = services.GetRequiredService<IOptions<FreshchatOptions>>().Value;
        _ = services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RedisOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Capture.CaptureOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Hosting.ObservabilityOptions>>().Value;
        output.WriteLine("ok   configuration");

        var failures = new List<string>();
        await Probe(output, failures, "Freshchat", async token =>
        {
            var configuration = await services.GetRequiredService<IFreshchatClient>().GetAccountConfigurationAsync(token);
            return $"account {configuration.AccountId}" + (configuration.GetString("plan_type") is { } plan ? $" ({plan} plan)" : "");
        });
        await Probe(output, failures, "Schema Registry", async token =>
        {
            var subjects = await services.GetRequiredService<ISchemaRegistryClient>().GetAllSubjectsAsync().WaitAsync(token);
            return $"{subjects.Count} subject(s)";
        });
        await Probe(output, failures, "Kafka", token => Task.Run(() =>
        {
            using var admin = new AdminClientBuilder(services.GetRequiredService<KafkaConnection>().AdminConfig()).Build();
            var metadata = admin.GetMetadata(ProbeTimeout);
            return $"{metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)";
        }, token));
        await Probe(output, failures, "Redis", async token =>
        {
            var meta = await services.GetRequiredService<ICursorStore>().LoadMetaAsync(token);
            return meta.Count == 0 ? "reachable, no state yet" : "reachable, state present";
        });

        if (failures.Count > 0)
        {
            throw new UpstreamCheckException(string.Join("; ", failures));
        }

        return ExitCodes.Ok;
    }

    private static async Task Probe(TextWriter output, List<string> failures, string name, Func<CancellationToken, Task<string>> probe)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout * 2);
        try
        {
            output.WriteLine($"ok   {name}: {await probe(timeout.Token)}");
        }
        catch (Exception e) when (e is not OptionsValidationException)
        {
            var reason = e switch
            {
                OperationCanceledException or TimeoutException => $"no answer within {ProbeTimeout * 2}",
                KafkaException k => $"{k.Error.Code}: {k.Error.Reason} (check Kafka:BootstrapServers)",
                _ => e.Message,
            };
            output.WriteLine($"FAIL {name}: {reason}");
            failures.Add($"{name}: {reason}");
        }
    }
}

/// <summary>One or more dependencies failed <c>check</c>: exit code 3.</summary>
public sealed class UpstreamCheckException(string message) : Exception(message);
