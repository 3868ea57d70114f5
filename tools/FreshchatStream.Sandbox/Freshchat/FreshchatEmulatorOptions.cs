using Microsoft.Extensions.Logging;

namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Start-up settings of the Freshchat emulator: the size and seed of the generated world, where it listens,
/// and the clock that stamps mutations. Generated history always lies before <see cref="Epoch"/>.
/// </summary>
public sealed record FreshchatEmulatorOptions
{
    public static readonly DateTimeOffset DefaultEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int Users { get; init; } = 200;
    public double ConversationsPerUser { get; init; } = 0.2;
    public int MessagesPerConversation { get; init; } = 50;
    public int Agents { get; init; } = 12;
    public int Groups { get; init; } = 4;
    public int Channels { get; init; } = 3;
    public int Seed { get; init; } = 42;
    public string ApiKey { get; init; } = "sandbox-api-key";
    public string ListenAddress { get; init; } = "127.0.0.1";
    public int Port { get; init; }
    public DateTimeOffset? Epoch { get; init; }
    public TimeProvider? TimeProvider { get; init; }
    public EmulatorBehaviour Behaviour { get; init; } = new();

    /// <summary>
    /// The reading profile applied to <see cref="Behaviour"/> at start; null (the default) = the
    /// <c>FRESHCHAT_EMULATOR_PROFILE</c> environment variable decides, so a whole test run can switch readings.
    /// </summary>
    public EmulatorProfile? Profile { get; init; }

    /// <summary>Switches set at start after the profile (<c>--behaviour name=value</c>), by /_sandbox/behaviour name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BehaviourSettings { get; init; } = [];

    /// <summary>Faults active from the first request (the emulator's <see cref="FreshchatEmulator.Faults"/> is this instance).</summary>
    public EmulatorFaults Faults { get; init; } = new();

    /// <summary>Where the webhook sender POSTs events from the start; null (the default) = webhooks off. Changeable later through <see cref="FreshchatEmulator.Webhooks"/>.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Wait before the first webhook retry; doubles per retry (capped at 30 s).</summary>
    public TimeSpan WebhookRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Webhook retries after the first attempt before an event is abandoned.</summary>
    public int WebhookMaxRetries { get; init; } = 5;

    /// <summary>Hook for the hosting CLI to route Kestrel/ASP.NET logs; by default the emulator logs nothing.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    internal DateTimeOffset EffectiveEpoch => Epoch ?? DefaultEpoch;
}
