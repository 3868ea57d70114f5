using System.Globalization;
using FreshchatStream.Consumers.Landing;

namespace FreshchatStream.Consumers.Commands;

/// <summary>The lander command line: a command and <c>--name value</c> options, with environment fallbacks.</summary>
public sealed class LanderArguments
{
    private static readonly HashSet<string> Flags = ["once", "to-earliest", "quiet", "current-only"];
    private static readonly HashSet<string> Valued = ["database", "connection", "bootstrap-servers", "schema-registry", "prefix", "topics", "group",
        "batch-size", "to-datetime", "kafka", "session-timeout-ms", "root", "date"];

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private LanderArguments(string command) => Command = command;

    public string Command { get; }

    public static LanderArguments Parse(string[] args)
    {
        var parsed = new LanderArguments(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new LanderUsageException($"unexpected argument '{arg}'; run freshchat-landers --help.");
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=');
            if (equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (Flags.Contains(name))
            {
                parsed.Add(name, "true");
            }
            else if (Valued.Contains(name))
            {
                value ??= i + 1 < args.Length ? args[++i] : throw new LanderUsageException($"--{name} needs a value.");
                parsed.Add(name, value);
            }
            else
            {
                throw new LanderUsageException($"unknown option '--{name}'; run freshchat-landers --help.");
            }
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public string Require(string name) => Get(name) ?? throw new LanderUsageException($"{Command} needs --{name}.");

    public LanderSettings Settings(string defaultGroup)
    {
        var bootstrap = Get("bootstrap-servers") ?? Environment.GetEnvironmentVariable("Kafka__BootstrapServers")
            ?? throw new LanderUsageException("set --bootstrap-servers (or Kafka__BootstrapServers).");
        var registry = Get("schema-registry") ?? Environment.GetEnvironmentVariable("SchemaRegistry__Url")
            ?? (Command == "replay" ? string.Empty : throw new LanderUsageException("set --schema-registry (or SchemaRegistry__Url)."));
        var prefix = Get("prefix") ?? Environment.GetEnvironmentVariable("Kafka__TopicPrefix") ?? "freshchat";
        var settings = new LanderSettings(bootstrap, registry, prefix, LandedTopics.Parse(Get("topics")), Get("group") ?? defaultGroup)
        {
            Once = Has("once"),
            ClientSettings = (_values.GetValueOrDefault("kafka") ?? []).Select(ParseSetting).ToDictionary(p => p.Key, p => p.Value),
        };
        if (Get("batch-size") is { } size)
        {
            settings = settings with { BatchSize = int.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100_000 ? n : throw new LanderUsageException("--batch-size must be between 1 and 100000.") };
        }

        if (Get("session-timeout-ms") is { } timeout)
        {
            settings = settings with { SessionTimeoutMs = int.TryParse(timeout, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 1000 ? ms : throw new LanderUsageException("--session-timeout-ms must be at least 1000.") };
        }

        return settings;
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
        var equals = setting.IndexOf('=');
        return equals > 0 ? new(setting[..equals], setting[(equals + 1)..]) : throw new LanderUsageException($"--kafka expects key=value, not '{setting}'.");
    }
}
