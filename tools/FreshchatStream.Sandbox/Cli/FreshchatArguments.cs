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

    public bool ShowHelp { get; init; }

    /// <summary>Parses the arguments that follow <c>freshchat</c>.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value or a value out of range.</exception>
    public static FreshchatArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new FreshchatArguments();
        var complete = OptionReader.Read(args, Command, (name, value) =>
        {
            FreshchatArguments? next = name switch
            {
                "--users" => parsed with { Users = OptionValues.Integer(name, value(), 1, 10_000_000) },
                "--seed" => parsed with { Seed = OptionValues.Integer(name, value(), int.MinValue, int.MaxValue) },
                "--api-key" => parsed with { ApiKey = OptionValues.NonEmpty(name, value()) },
                // --port reads naturally when only one server runs; --freshchat-port keeps the spelling of 'up'.
                "--freshchat-port" or "--port" => parsed with { FreshchatPort = OptionValues.Integer(name, value(), 0, 65535) },
                "--listen" => parsed with { ListenAddress = OptionValues.ListenAddress(name, value()) },
                BehaviourOptions.Behaviour => parsed with { Behaviour = [.. parsed.Behaviour, BehaviourOptions.Setting(value())] },
                BehaviourOptions.Profile => parsed with { Profile = BehaviourOptions.ParseProfile(value()) },
                _ => null,
            };
            parsed = next ?? parsed;
            return next is not null;
        });
        return complete ? parsed : parsed with { ShowHelp = true };
    }

    public FreshchatEmulatorOptions ToEmulatorOptions() =>
        new() { Users = Users, Seed = Seed, ApiKey = ApiKey, Port = FreshchatPort, ListenAddress = ListenAddress, Profile = Profile, BehaviourSettings = Behaviour };
}
