using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>The options of <c>up</c>, parsed from <c>--name value</c> or <c>--name=value</c> pairs.</summary>
public sealed record UpArguments
{
    public const string Command = "up";

    public int Users { get; init; } = new FreshchatEmulatorOptions().Users;
    public int Seed { get; init; } = new FreshchatEmulatorOptions().Seed;
    public string ApiKey { get; init; } = new FreshchatEmulatorOptions().ApiKey;
    public int FreshchatPort { get; init; }
    public int SchemaRegistryPort { get; init; }

    /// <summary>Address both HTTP emulators bind; the mock Kafka brokers always listen on 127.0.0.1 (librdkafka's choice).</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    public int Brokers { get; init; } = 1;
    public IReadOnlyList<string> Topics { get; init; } = [];
    public int Partitions { get; init; } = 3;

    /// <summary>Where the Freshchat emulator POSTs webhook events; null = webhooks off (they can be turned on at /_sandbox/webhooks).</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The reading profile (<c>--profile</c>); null = the <c>FRESHCHAT_EMULATOR_PROFILE</c> environment variable decides.</summary>
    public EmulatorProfile? Profile { get; init; }

    /// <summary>Emulator switches set at start (<c>--behaviour name=value</c>, repeatable), applied after the profile.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Behaviour { get; init; } = [];

    public bool ShowHelp { get; init; }

    /// <summary>Parses the arguments that follow <c>up</c>.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value or a value out of range.</exception>
    public static UpArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new UpArguments();
        var complete = OptionReader.Read(args, Command, (name, value) =>
        {
            UpArguments? next = name switch
            {
                "--users" => parsed with { Users = OptionValues.Integer(name, value(), 1, 10_000_000) },
                "--seed" => parsed with { Seed = OptionValues.Integer(name, value(), int.MinValue, int.MaxValue) },
                "--api-key" => parsed with { ApiKey = OptionValues.NonEmpty(name, value()) },
                "--freshchat-port" => parsed with { FreshchatPort = OptionValues.Integer(name, value(), 0, 65535) },
                "--schema-registry-port" => parsed with { SchemaRegistryPort = OptionValues.Integer(name, value(), 0, 65535) },
                "--listen" => parsed with { ListenAddress = OptionValues.ListenAddress(name, value()) },
                "--brokers" => parsed with { Brokers = OptionValues.Integer(name, value(), 1, 32) },
                "--topics" => parsed with { Topics = OptionValues.TopicList(name, value()) },
                "--partitions" => parsed with { Partitions = OptionValues.Integer(name, value(), 1, 1000) },
                "--webhook-url" => parsed with { WebhookUrl = OptionValues.HttpUrl(name, value()) },
                BehaviourOptions.Behaviour => parsed with { Behaviour = [.. parsed.Behaviour, BehaviourOptions.Setting(value())] },
                BehaviourOptions.Profile => parsed with { Profile = BehaviourOptions.ParseProfile(value()) },
                _ => null,
            };
            parsed = next ?? parsed;
            return next is not null;
        });
        if (!complete)
        {
            return parsed with { ShowHelp = true };
        }

        if (parsed.FreshchatPort != 0 && parsed.FreshchatPort == parsed.SchemaRegistryPort)
        {
            throw new UsageException($"--freshchat-port and --schema-registry-port are both {parsed.FreshchatPort}; the two emulators need different ports");
        }

        return parsed;
    }

    /// <summary>The stack these arguments describe.</summary>
    public SandboxStackOptions ToStackOptions() => new()
    {
        Freshchat = new FreshchatEmulatorOptions
        {
            Users = Users, Seed = Seed, ApiKey = ApiKey, Port = FreshchatPort, ListenAddress = ListenAddress, WebhookUrl = WebhookUrl,
            Profile = Profile, BehaviourSettings = Behaviour,
        },
        SchemaRegistry = new SchemaRegistryEmulatorOptions { Port = SchemaRegistryPort, ListenAddress = ListenAddress },
        KafkaBrokers = Brokers,
        Topics = Topics,
        TopicPartitions = Partitions,
    };
}
