using System.CommandLine;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// The options of <c>freshchat</c>, which serves only the Freshchat emulator (docker-compose's sandbox profile runs
/// it next to a real Kafka and Schema Registry).
/// </summary>
public sealed record FreshchatArguments
{
    public const string Command = "freshchat";

    public int Users { get; init; } = new FreshchatEmulatorOptions().Users;
    public int Seed { get; init; } = new FreshchatEmulatorOptions().Seed;
    public string ApiKey { get; init; } = new FreshchatEmulatorOptions().ApiKey;
    public int FreshchatPort { get; init; }
    public string ListenAddress { get; init; } = "127.0.0.1";
    /// <summary>The reading profile (<c>--profile</c>); null = the <c>FRESHCHAT_EMULATOR_PROFILE</c> environment variable decides.</summary>
    public EmulatorProfile? Profile { get; init; }

    /// <summary>Emulator switches set at start (<c>--behaviour name=value</c>, repeatable), applied after the profile.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Behaviour { get; init; } = [];

    /// <summary>Parses the arguments that follow <c>freshchat</c> (tests; the CLI parses the whole line with <see cref="SandboxCommands"/>).</summary>
    /// <exception cref="UsageException">An unknown option, a missing value or a value out of range; the message is the parser's.</exception>
    public static FreshchatArguments Parse(IReadOnlyList<string> args) => SandboxCommands.Parse(Command, args, CreateCommand);

    /// <summary>The <c>freshchat</c> command: its options, help text and a reader of the parsed values.</summary>
    internal static (Command Command, Func<ParseResult, FreshchatArguments> Read) CreateCommand()
    {
        var defaults = new FreshchatArguments();
        var users = SandboxOptions.Integer("--users", "N", 1, 10_000_000, defaults.Users, $"Generated Freshchat users (default {defaults.Users}).");
        var seed = SandboxOptions.Integer("--seed", "S", int.MinValue, int.MaxValue, defaults.Seed, $"Seed of the generated data (default {defaults.Seed}).");
        var apiKey = SandboxOptions.NonEmpty("--api-key", "K", defaults.ApiKey, $"Bearer token the emulator accepts (default {defaults.ApiKey}).");
        // --port reads naturally when only one server runs; --freshchat-port keeps the spelling of 'up'.
        var port = SandboxOptions.Integer("--freshchat-port", "P", 0, 65535, 0, "Port to listen on (default 0 = a free port).", "--port");
        var listen = SandboxOptions.ListenAddress("IP address to bind (default 127.0.0.1; 0.0.0.0 in a container).");
        var behaviour = SandboxOptions.Behaviour(
            "Set an emulator switch at start, e.g. agent_status_without_id=true (repeatable; names and values as GET /_sandbox/behaviour shows them).");
        var profile = SandboxOptions.Profile(
            "Default or other reading of every unconfirmed API behaviour (default: FRESHCHAT_EMULATOR_PROFILE, else default); --behaviour applies on top.");
        var command = new Command(Command, Description) { users, seed, apiKey, port, listen, behaviour, profile };
        return (command, result => new FreshchatArguments
        {
            Users = result.GetValue(users),
            Seed = result.GetValue(seed),
            ApiKey = result.GetValue(apiKey)!,
            FreshchatPort = result.GetValue(port),
            ListenAddress = result.GetValue(listen)!,
            Profile = result.GetValue(profile),
            Behaviour = result.GetValue(behaviour) ?? [],
        });
    }

    private const string Description =
        """
        Starts only the Freshchat API emulator, prints

          Freshchat__BaseUrl=http://HOST:PORT/v2
          Freshchat__ApiKey=KEY

        on standard output (all other text goes to standard error), and stays up until Ctrl-C or SIGTERM, then exits 0.

        Example (what docker-compose.yml runs):
          freshchat-sandbox freshchat --listen 0.0.0.0 --freshchat-port 8080 --users 2000 --api-key sandbox-api-key
        """;

    public FreshchatEmulatorOptions ToEmulatorOptions() =>
        new() { Users = Users, Seed = Seed, ApiKey = ApiKey, Port = FreshchatPort, ListenAddress = ListenAddress, Profile = Profile, BehaviourSettings = Behaviour };
}
