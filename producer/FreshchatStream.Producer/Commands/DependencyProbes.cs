using Confluent.Kafka;
using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// One cheap call per dependency — Freshchat (an authenticated call for <c>check</c>, a connection for <c>run</c>),
/// the Schema Registry, Kafka (cluster metadata), Redis — shared by <c>check</c>, which reports each, and
/// <c>run</c>, which waits for them at start and then names the one that never answered. A dependency that answered
/// with an error it can recover from (429, 5xx) is reachable; one that refused the credentials fails for good.
/// </summary>
public static class DependencyProbes
{
    /// <param name="services">The command's services.</param>
    /// <param name="kafkaTimeout">Bound on the Kafka metadata request.</param>
    /// <param name="spendFreshchatRequest">
    /// <c>check</c> makes one authenticated call; <c>run</c> only opens a connection to Freshchat's host (or its
    /// proxy), so starting costs no API budget — its first capture call checks the credentials anyway.
    /// </param>
    public static IReadOnlyList<DependencyProbe> For(IServiceProvider services, TimeSpan kafkaTimeout, bool spendFreshchatRequest) =>
    [
        // With Accounts:* each account's Freshchat is reached by its own capture, which reports it per account.
        .. services.GetService<Accounts.AccountCaptures>() is null ? [spendFreshchatRequest ? AuthenticatedFreshchat(services) : FreshchatHost(services)] : Array.Empty<DependencyProbe>(),
        new("Schema Registry", "SchemaRegistry:Url", async token =>
        {
            var subjects = await services.GetRequiredService<ISchemaRegistryClient>().GetAllSubjectsAsync().WaitAsync(token);
            return $"{subjects.Count} subject(s)";
        }),
        new("Kafka", "Kafka:BootstrapServers", token => Task.Run(() =>
        {
            using var admin = new AdminClientBuilder(services.GetRequiredService<KafkaConnection>().AdminConfig()).Build();
            var metadata = admin.GetMetadata(kafkaTimeout);
            return $"{metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)";
        }, token)),
        new("Redis", "Redis:Configuration", async token =>
        {
            var meta = await services.GetRequiredService<ICursorStore>().LoadMetaAsync(token);
            return meta.Count == 0 ? "reachable, no state yet" : "reachable, state present";
        }),
    ];

    private static DependencyProbe FreshchatHost(IServiceProvider services) => new("Freshchat", "Freshchat:BaseUrl", async token =>
    {
        var api = services.GetRequiredService<IOptions<FreshchatOptions>>().Value.GetBaseUri();
        var target = HttpClient.DefaultProxy.IsBypassed(api) ? api : HttpClient.DefaultProxy.GetProxy(api) ?? api;
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, token);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new HttpRequestException($"cannot connect to {target.Host}:{target.Port} ({e.SocketErrorCode})", e);
        }

        return $"{target.Host}:{target.Port} accepts connections";
    });

    private static DependencyProbe AuthenticatedFreshchat(IServiceProvider services) => new("Freshchat", "Freshchat:BaseUrl", async token =>
        {
            try
            {
                var configuration = await services.GetRequiredService<IFreshchatClient>().GetAccountConfigurationAsync(token);
                return $"account {configuration.AccountId}" + (configuration.GetString("plan_type") is { } plan ? $" ({plan} plan)" : "");
            }
            catch (FreshchatForbiddenException e)
            {
                // A token without the account scope may still read everything capture needs: only a 403 everywhere fails.
                var readings = new AccountReadings(services.GetRequiredService<IFreshchatClient>(), services.GetRequiredService<FreshchatTransport>(),
                    services.GetRequiredService<FreshchatMetrics>());
                if ((await readings.ForbiddenEndpointsAsync(token)).Count < AccountReadings.ProbedEndpoints)
                {
                    return $"reachable; 403 on {e.Endpoint} (likely scope {e.LikelyScope})";
                }

                throw;
            }
            catch (FreshchatException e) when (e is not FreshchatAuthenticationException and not FreshchatConfigurationException && e.StatusCode is { } status)
            {
                // It answered: throttling, an outage or a bad page is the capture loop's to ride out, not a wrong address.
                return $"reachable, answered {status}";
            }
        });

    /// <summary>
    /// Probes every dependency until all answered or <paramref name="startupTimeout"/> ran out, logging a warning
    /// per dependency still unreachable. Throws the dependency's own error when it refused us (credentials), and
    /// <see cref="DependencyUnreachableException"/> naming the ones that never answered.
    /// </summary>
    public static Task WaitUntilReachableAsync(IServiceProvider services, TimeSpan startupTimeout, CancellationToken cancellationToken) =>
        WaitUntilReachableAsync(
            For(services, services.GetRequiredService<IOptions<KafkaOptions>>().Value.AdminTimeout, spendFreshchatRequest: false),
            startupTimeout,
            RetryDelay,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DependencyProbes).FullName!),
            cancellationToken);

    public static async Task WaitUntilReachableAsync(IReadOnlyList<DependencyProbe> probes, TimeSpan startupTimeout, TimeSpan retryDelay,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + startupTimeout;
        var pending = probes;
        while (true)
        {
            var unreachable = new List<ProbeResult>();
            foreach (var probe in pending)
            {
                var result = await probe.RunAsync(AttemptTimeout, cancellationToken);
                if (result.Fatal is { } fatal)
                {
                    ExceptionDispatchInfo.Throw(fatal);
                }

                if (!result.Reached)
                {
                    unreachable.Add(result);
                }
            }

            var left = deadline - time.GetUtcNow();
            if (unreachable.Count == 0)
            {
                return;
            }

            if (left <= TimeSpan.Zero)
            {
                throw new DependencyUnreachableException(
                    string.Join("; ", unreachable.Select(r => $"{r.Probe.Name} is unreachable: {r.Failure}")) +
                    $"; gave up after Capture:StartupTimeout ({startupTimeout})");
            }

            foreach (var result in unreachable)
            {
                Log.WaitingForDependency(logger, result.Probe.Name, result.Failure!);
            }

            pending = [.. unreachable.Select(r => r.Probe)];
            await Task.Delay(left < retryDelay ? left : retryDelay, time, cancellationToken);
        }
    }

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
}

/// <summary>A dependency did not answer within <c>Capture:StartupTimeout</c>: exit code 3.</summary>
public sealed class DependencyUnreachableException(string message) : Exception(message);

/// <summary>A dependency's reachability probe: its name, the key that points at it, and the call.</summary>
public sealed record DependencyProbe(string Name, string Key, Func<CancellationToken, Task<string>> Reach)
{
    /// <summary>Runs the probe within <paramref name="timeout"/>: what it found, or why it failed and whether retrying may help.</summary>
    public async Task<ProbeResult> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return new ProbeResult(this, await Reach(limit.Token), null, null);
        }
        catch (Exception e) when (e is not OptionsValidationException && !cancellationToken.IsCancellationRequested)
        {
            var failure = e is OperationCanceledException ? CaptureFailure.Transient($"no answer within {timeout}") : FailureClassifier.Classify(e);
            return failure.IsFatal
                ? new ProbeResult(this, null, failure.Message, e)
                : new ProbeResult(this, null, $"{Describe(e, timeout)} (check {Key})", null);
        }
    }

    private static string Describe(Exception e, TimeSpan timeout) => e switch
    {
        OperationCanceledException or TimeoutException => $"no answer within {timeout}",
        KafkaException k => $"{k.Error.Code}: {k.Error.Reason}",
        _ => e.Message,
    };
}

/// <summary>
/// The outcome of one probe. <see cref="Fatal"/> is set when the dependency answered but refused us (credentials):
/// waiting will not help.
/// </summary>
public sealed record ProbeResult(DependencyProbe Probe, string? Found, string? Failure, Exception? Fatal)
{
    public bool Reached => Failure is null;
}
