namespace FreshchatStream.Producer.Commands;

/// <summary>
/// The command line split into a command name, its flags and options. Anything that is not one of the
/// command's known options is kept for the .NET configuration system (e.g. <c>--Kafka:TopicPrefix=x</c>).
/// </summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private ParsedArguments(string command) => Command = command;

    public string Command { get; }

    /// <summary>Arguments passed through to configuration (<c>--Section:Key=value</c> or <c>--Section:Key value</c>).</summary>
    public List<string> ConfigurationArguments { get; } = [];

    public bool HasFlag(string name) => _options.ContainsKey(name);

    public string? GetOption(string name) => _options.GetValueOrDefault(name);

    /// <summary>
    /// Parses <paramref name="args"/> for a command whose flags and value options are known; an unknown
    /// <c>--name</c> without a ':' is a user mistake (configuration keys always contain one).
    /// </summary>
    public static ParsedArguments Parse(string[] args, IReadOnlyDictionary<string, CommandSpec> commands)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            return new ParsedArguments("help");
        }

        var name = args[0];
        if (!commands.TryGetValue(name, out var spec))
        {
            throw new CommandLineException($"Unknown command '{name}'. Run 'freshchat-stream --help' for the list of commands.");
        }

        var parsed = new ParsedArguments(name);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                parsed._options["help"] = null;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new CommandLineException($"Unexpected argument '{arg}' for '{name}'. Run 'freshchat-stream {name} --help'.");
            }

            var option = arg[2..];
            var equals = option.IndexOf('=');
            var key = equals >= 0 ? option[..equals] : option;
            if (key.Contains(':'))
            {
                parsed.ConfigurationArguments.Add(arg);
                if (equals < 0 && i + 1 < args.Length)
                {
                    parsed.ConfigurationArguments.Add(args[++i]);
                }

                continue;
            }

            if (spec.Flags.Contains(key))
            {
                parsed._options[key] = null;
            }
            else if (spec.ValueOptions.Contains(key))
            {
                var value = equals >= 0 ? option[(equals + 1)..] : i + 1 < args.Length ? args[++i] : null;
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new CommandLineException($"Option '--{key}' of '{name}' needs a value.");
                }

                parsed._options[key] = value;
            }
            else
            {
                throw new CommandLineException($"Unknown option '--{key}' for '{name}'. Run 'freshchat-stream {name} --help'.");
            }
        }

        return parsed;
    }
}

/// <summary>What a command accepts, and the help text that says so.</summary>
public sealed record CommandSpec(string Usage, string Description, string[] Flags, string[] ValueOptions);
