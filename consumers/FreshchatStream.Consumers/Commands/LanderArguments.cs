using System.CommandLine;
using System.Globalization;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Consumers.Commands;

/// <summary>
/// The lander command line as parsed (<see cref="LanderCommands"/>): a command, its documented options and the
/// <c>--Section:Key=value</c> configuration arguments. Each documented option is a shorthand for a configuration key and overrides it (see
/// <see cref="ConfigurationKeys"/>), so everything, secrets included, can come from <c>appsettings.json</c> and
/// environment variables instead.
/// </summary>
public sealed class LanderArguments
{
    /// <summary>The configuration key each documented option sets (a new lander kind adds its own here).</summary>
    public static readonly IReadOnlyDictionary<string, string> ConfigurationKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bootstrap-servers"] = "Kafka:BootstrapServers",
        ["schema-registry"] = "SchemaRegistry:Url",
        ["prefix"] = "Kafka:TopicPrefix",
        ["topics"] = "Lander:Topics",
        ["group"] = "Lander:Group",
        ["batch-size"] = "Lander:BatchSize",
        ["database"] = "DuckDb:Database",
        ["connection"] = "Postgres:ConnectionString",
        ["root"] = "Parquet:Root",
    };

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private LanderArguments(string command) => Command = command;

    public string Command { get; }

    /// <summary>Arguments passed through to configuration (<c>--Section:Key=value</c> or <c>--Section:Key value</c>).</summary>
    public List<string> ConfigurationArguments { get; } = [];

    /// <summary>Parses a command line without running it.</summary>
    /// <exception cref="LanderUsageException">A mistake on the command line; the message is the one line a user sees.</exception>
    public static LanderArguments Parse(IReadOnlyList<string> args) => LanderCommands.Parse(args);

    /// <summary>The command and options System.CommandLine parsed, with the configuration arguments split off before.</summary>
    public static LanderArguments From(ParseResult result, IReadOnlyList<string> configuration)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parsed = new LanderArguments(result.CommandResult.Command.Name);
        parsed.ConfigurationArguments.AddRange(configuration);
        foreach (var (name, value) in LanderCommands.Values(result))
        {
            parsed.Add(name, value);
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public string Require(string name) => Get(name) ?? throw new LanderUsageException($"{Command} needs --{name}.");

    /// <summary>The documented options given, as the configuration keys they override (added last, so they win).</summary>
    public Dictionary<string, string?> ConfigurationOverrides()
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (option, key) in ConfigurationKeys)
        {
            if (Get(option) is { } value)
            {
                overrides[key] = value;
            }
        }

        if (Get("batch-size") is { } size && !int.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            throw new LanderUsageException("--batch-size must be between 1 and 100000.");
        }

        if (Get("session-timeout-ms") is { } timeout)
        {
            overrides["Lander:SessionTimeout"] = int.TryParse(timeout, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 1000
                ? TimeSpan.FromMilliseconds(ms).ToString("c", CultureInfo.InvariantCulture)
                : throw new LanderUsageException("--session-timeout-ms must be at least 1000.");
        }

        foreach (var setting in _values.GetValueOrDefault("kafka") ?? [])
        {
            var (key, value) = ParseSetting(setting);
            overrides[$"{LanderKafkaOptions.Section}:{key}"] = value;
        }

        return overrides;
    }

    /// <summary>
    /// Binds and validates <c>Kafka:*</c>, <c>SchemaRegistry:*</c> (not for <c>replay</c>, which decodes nothing) and
    /// <c>Lander:*</c> from <paramref name="configuration"/> (by default the options alone) into the lander's settings.
    /// </summary>
    /// <exception cref="OptionsValidationException">A key is missing or invalid; every message names it.</exception>
    public LanderSettings Settings(string defaultGroup, IConfiguration? configuration = null)
    {
        configuration ??= new ConfigurationBuilder().AddInMemoryCollection(ConfigurationOverrides()).Build();
        var kafkaSection = configuration.GetSection(LanderKafkaOptions.Section);
        var kafka = kafkaSection.Get<LanderKafkaOptions>() ?? new LanderKafkaOptions();
        kafka.ClientSettings = LibrdkafkaSettings.Read(kafkaSection, typeof(LanderKafkaOptions).GetProperties().Select(p => p.Name));
        var lander = configuration.GetSection(LanderOptions.Section).Get<LanderOptions>() ?? new LanderOptions();
        var registry = Command == "replay" ? null : configuration.GetSection(SchemaRegistryOptions.Section).Get<SchemaRegistryOptions>() ?? new SchemaRegistryOptions();

        var failures = new List<string>();
        failures.AddRange(new LanderKafkaOptionsValidator().Validate(null, kafka).Failures ?? []);
        failures.AddRange(new LanderOptionsValidator().Validate(null, lander).Failures ?? []);
        if (registry is not null)
        {
            failures.AddRange(new SchemaRegistryOptionsValidator().Validate(null, registry).Failures ?? []);
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(LanderOptions.Section, typeof(LanderSettings), failures);
        }

        return new LanderSettings(kafka.BootstrapServers!, registry?.Url ?? string.Empty, kafka.TopicPrefix, LandedTopics.Parse(lander.Topics),
            string.IsNullOrWhiteSpace(lander.Group) ? defaultGroup : lander.Group)
        {
            Once = Has("once"),
            BatchSize = lander.BatchSize,
            BatchWait = lander.BatchWait,
            SessionTimeoutMs = (int)lander.SessionTimeout.TotalMilliseconds,
            ClientSettings = new Dictionary<string, string>(kafka.ClientSettings, StringComparer.Ordinal),
            SchemaRegistry = registry,
        };
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var values))
        {
            _values[name] = values = [];
        }

        values.Add(value);
    }

    private static KeyValuePair<string, string> ParseSetting(string setting)
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? new(setting[..equals], setting[(equals + 1)..]) : throw new LanderUsageException($"--kafka expects key=value, not '{setting}'.");
    }
}
