using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>The options of <c>up</c>, as System.CommandLine parsed them (<see cref="CreateCommand"/>).</summary>
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

    /// <summary>Parses the arguments that follow <c>up</c> (tests; the CLI parses the whole line with <see cref="SandboxCommands"/>).</summary>
    /// <exception cref="UsageException">An unknown option, a missing value or a value out of range; the message is the parser's.</exception>
    public static UpArguments Parse(IReadOnlyList<string> args) => SandboxCommands.Parse(Command, args, CreateCommand);

    /// <summary>The <c>up</c> command: its options, help text and a reader of the parsed values.</summary>
    internal static (Command Command, Func<ParseResult, UpArguments> Read) CreateCommand()
    {
        var defaults = new UpArguments();
        var users = SandboxOptions.Integer("--users", "N", 1, 10_000_000, defaults.Users, $"Generated Freshchat users (default {defaults.Users}).");
        var seed = SandboxOptions.Integer("--seed", "S", int.MinValue, int.MaxValue, defaults.Seed, $"Seed of the generated data (default {defaults.Seed}).");
        var apiKey = SandboxOptions.NonEmpty("--api-key", "K", defaults.ApiKey, $"Bearer token the Freshchat emulator accepts (default {defaults.ApiKey}).");
        var freshchatPort = SandboxOptions.Integer("--freshchat-port", "P", 0, 65535, 0, "Port of the Freshchat emulator (default 0 = a free port).");
        var registryPort = SandboxOptions.Integer("--schema-registry-port", "Q", 0, 65535, 0, "Port of the Schema Registry emulator (default 0 = a free port).");
        var listen = SandboxOptions.ListenAddress(
            "IP address the two emulators bind (default 127.0.0.1; 0.0.0.0 = all); the mock Kafka brokers always listen on 127.0.0.1.");
        var brokers = SandboxOptions.Integer("--brokers", "B", 1, 32, defaults.Brokers, "Brokers of the mock Kafka cluster, 1-32 (default 1).");
        var topics = SandboxOptions.TopicList("--topics", "Topics to create up front (default none: topics are auto-created).");
        var partitions = SandboxOptions.Integer("--partitions", "N", 1, 1000, defaults.Partitions, "Partitions of the topics created up front (default 3).");
        var webhookUrl = SandboxOptions.HttpUrl("--webhook-url", "URL",
            "POST signed webhook events (message_create, conversation_assignment, conversation_resolution, conversation_reopen) to URL (default: off).");
        var behaviour = SandboxOptions.Behaviour(
            "Set a Freshchat emulator switch at start, e.g. messages_from_time_inclusive=true (repeatable; names and values as GET /_sandbox/behaviour shows them).");
        var profile = SandboxOptions.Profile(
            "Start from the default reading of every unconfirmed API behaviour, or from the other one (default: FRESHCHAT_EMULATOR_PROFILE, else default); --behaviour settings apply on top.");
        var command = new Command(Command, Description)
        {
            users, seed, apiKey, freshchatPort, registryPort, listen, brokers, topics, partitions, webhookUrl, behaviour, profile,
        };
        command.Validators.Add(result =>
        {
            // Read from the tokens: a port that failed to parse has its own error already.
            if (Given(result, freshchatPort) is { } freshchat and not 0 && freshchat == Given(result, registryPort))
            {
                result.AddError($"--freshchat-port and --schema-registry-port are both {freshchat}; the two emulators need different ports");
            }
        });
        return (command, result => new UpArguments
        {
            Users = result.GetValue(users),
            Seed = result.GetValue(seed),
            ApiKey = result.GetValue(apiKey)!,
            FreshchatPort = result.GetValue(freshchatPort),
            SchemaRegistryPort = result.GetValue(registryPort),
            ListenAddress = result.GetValue(listen)!,
            Brokers = result.GetValue(brokers),
            Topics = result.GetValue(topics) ?? [],
            Partitions = result.GetValue(partitions),
            WebhookUrl = result.GetValue(webhookUrl),
            Profile = result.GetValue(profile),
            Behaviour = result.GetValue(behaviour) ?? [],
        });
    }

    private static int? Given(CommandResult result, Option<int> option) =>
        result.GetResult(option)?.Tokens is [.., var token] && int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;

    private const string Description =
        """
        Starts the Freshchat API emulator, the Schema Registry emulator and a librdkafka mock Kafka cluster,
        prints the producer's settings on standard output as exactly six environment lines

          Freshchat__BaseUrl=http://127.0.0.1:PORT/v2
          Freshchat__ApiKey=KEY
          Kafka__BootstrapServers=127.0.0.1:PORT[,127.0.0.1:PORT...]
          SchemaRegistry__Url=http://127.0.0.1:PORT
          Webhooks__PublicKey=-----BEGIN RSA PUBLIC KEY----- BASE64 -----END RSA PUBLIC KEY-----
          Freshchat__RequestsPerMinute=100000

        (the last line is the request rate the emulator allows: it limits nothing, so the producer's maximum;
        all other text goes to standard error), and stays up until Ctrl-C or SIGTERM, then exits 0.

        Example (keep it running in the background, then load the six lines into the shell; the key line
        contains spaces, so export line by line):
          dotnet run --project tools/FreshchatStream.Sandbox -- up --users 1000 > sandbox.env &
          until [ "$(wc -l < sandbox.env)" -ge 6 ]; do sleep 0.2; done
          while IFS= read -r line; do export "$line"; done < sandbox.env
        """;

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
