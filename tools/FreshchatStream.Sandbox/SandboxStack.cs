using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Sandbox;

/// <summary>
/// Everything the producer talks to, in one process on loopback: the Freshchat emulator, the Schema Registry
/// emulator and a mock Kafka cluster. The sandbox CLI's <c>up</c> command hosts one; tests and demos start their own
/// and hand <see cref="ProducerSettings"/> to the producer as configuration.
/// </summary>
public sealed class SandboxStack : IAsyncDisposable
{
    public const string FreshchatBaseUrlKey = "Freshchat__BaseUrl";
    public const string FreshchatApiKeyKey = "Freshchat__ApiKey";
    public const string KafkaBootstrapServersKey = "Kafka__BootstrapServers";
    public const string SchemaRegistryUrlKey = "SchemaRegistry__Url";
    public const string WebhooksPublicKeyKey = "Webhooks__PublicKey";
    public const string FreshchatRequestsPerMinuteKey = "Freshchat__RequestsPerMinute";

    /// <summary>The producer's largest budget (<c>Freshchat:RequestsPerMinute</c> accepts 1–100000): what an emulator without a rate limit is given.</summary>
    public const int UnlimitedRequestsPerMinute = 100_000;

    private SandboxStack(FreshchatEmulator freshchat, SchemaRegistryEmulator schemaRegistry, MockKafkaCluster kafka)
    {
        Freshchat = freshchat;
        SchemaRegistry = schemaRegistry;
        Kafka = kafka;
    }

    public FreshchatEmulator Freshchat { get; }

    public SchemaRegistryEmulator SchemaRegistry { get; }

    public MockKafkaCluster Kafka { get; }

    /// <summary>Starts the three services; if one fails, those already started are stopped before the error surfaces.</summary>
    public static async Task<SandboxStack> StartAsync(SandboxStackOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopicPartitions, 1);

        FreshchatEmulator? freshchat = null;
        SchemaRegistryEmulator? schemaRegistry = null;
        MockKafkaCluster? kafka = null;
        try
        {
            freshchat = await FreshchatEmulator.StartAsync(options.Freshchat, cancellationToken).ConfigureAwait(false);
            schemaRegistry = await SchemaRegistryEmulator.StartAsync(options.SchemaRegistry, cancellationToken).ConfigureAwait(false);
            kafka = MockKafkaCluster.Start(options.KafkaBrokers);
            foreach (var topic in options.Topics)
            {
                kafka.CreateTopic(topic, options.TopicPartitions, replicationFactor: 1);
            }

            return new SandboxStack(freshchat, schemaRegistry, kafka);
        }
        catch
        {
            kafka?.Dispose();
            if (schemaRegistry is not null)
            {
                await schemaRegistry.DisposeAsync().ConfigureAwait(false);
            }

            if (freshchat is not null)
            {
                await freshchat.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// The producer's connection settings for this stack, as environment variable names (<c>Section__Key</c>); in the
    /// order the CLI prints them. Replace <c>__</c> with <c>:</c> for an in-memory configuration source.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ProducerSettings()
    {
        foreach (var setting in FreshchatSettings(Freshchat))
        {
            yield return setting;
        }

        yield return new(KafkaBootstrapServersKey, Kafka.BootstrapServers);
        yield return new(SchemaRegistryUrlKey, SchemaRegistry.Url.AbsoluteUri.TrimEnd('/'));

        // Always printed, on one line so the output stays a Key=Value env file: the producer verifies webhook
        // signatures with it whenever webhooks are turned on, on either side.
        yield return new(WebhooksPublicKeyKey, Freshchat.Webhooks.Signer.PublicKeyOneLine);

        // Last, so readers of the first five lines are unaffected: the budget the emulator itself allows, so a first
        // cycle against the sandbox is bound by the machine rather than by the producer's default of 200/min.
        yield return new(FreshchatRequestsPerMinuteKey, AllowedRequestsPerMinute(Freshchat).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The rate <paramref name="emulator"/> accepts, as a producer budget: its per-minute limit scaled from its
    /// window when one is set, else <see cref="UnlimitedRequestsPerMinute"/> (the emulator limits nothing by default).
    /// </summary>
    public static int AllowedRequestsPerMinute(FreshchatEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        if (emulator.Faults.RateLimitPerMinute is not { } limit)
        {
            return UnlimitedRequestsPerMinute;
        }

        var perMinute = limit * (TimeSpan.FromMinutes(1) / emulator.Faults.RateLimitWindow);
        return (int)Math.Clamp(Math.Floor(perMinute), 1, UnlimitedRequestsPerMinute);
    }

    /// <summary>The producer's Freshchat settings for <paramref name="emulator"/> (base URL without a trailing slash, then the key).</summary>
    public static IEnumerable<KeyValuePair<string, string>> FreshchatSettings(FreshchatEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        yield return new(FreshchatBaseUrlKey, emulator.BaseUrl.AbsoluteUri.TrimEnd('/'));
        yield return new(FreshchatApiKeyKey, emulator.ApiKey);
    }

    /// <summary>Stops Kafka first (clients see disconnects, not half-answered HTTP), then both emulators.</summary>
    public async ValueTask DisposeAsync()
    {
        Kafka.Dispose();
        try
        {
            await SchemaRegistry.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Freshchat.DisposeAsync().ConfigureAwait(false);
        }
    }
}
