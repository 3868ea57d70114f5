using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// The sandbox's options as System.CommandLine options whose parsers check each value and report a bad one as a parse
/// error naming the option, so every mistake exits 2 before anything starts.
/// </summary>
internal static class SandboxOptions
{
    public static Option<int> Integer(string name, string valueName, int min, int max, int defaultValue, string description, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = valueName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => Parse(result, name, value => Integer(name, value, min, max)),
        };

    public static Option<string> NonEmpty(string name, string valueName, string defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = valueName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, value => string.IsNullOrWhiteSpace(value) ? throw new UsageException($"option '{name}' must not be empty") : value),
    };

    /// <summary>An IP address for Kestrel to bind ("localhost" means 127.0.0.1), in the form the emulators parse.</summary>
    public static Option<string> ListenAddress(string description) => new("--listen")
    {
        Description = description,
        HelpName = "ADDRESS",
        DefaultValueFactory = _ => IPAddress.Loopback.ToString(),
        CustomParser = result => Parse(result, "--listen", value => ListenAddress("--listen", value)),
    };

    /// <summary>An absolute http:// or https:// URL.</summary>
    public static Option<Uri?> HttpUrl(string name, string valueName, string description) => new(name)
    {
        Description = description,
        HelpName = valueName,
        CustomParser = result => Parse<Uri?>(result, name, value =>
            Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw new UsageException($"option '{name}' expects an absolute http(s) URL such as http://127.0.0.1:8080/webhooks, got '{value}'")),
    };

    public static Option<string[]> TopicList(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "T1,T2",
        DefaultValueFactory = _ => [],
        CustomParser = result => Parse(result, name, value => Topics(name, value)),
    };

    /// <summary><c>--behaviour name=value</c>, repeatable; each setting is checked against the emulator's switches.</summary>
    public static Option<KeyValuePair<string, string>[]> Behaviour(string description) => new(BehaviourOptions.Behaviour)
    {
        Description = description,
        HelpName = "NAME=VALUE",
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var settings = new List<KeyValuePair<string, string>>();
            foreach (var token in result.Tokens)
            {
                try
                {
                    settings.Add(BehaviourOptions.Setting(token.Value));
                }
                catch (UsageException e)
                {
                    result.AddError(e.Message);
                    return [];
                }
            }

            return [.. settings];
        },
    };

    /// <summary><c>--profile default|other</c>; absent means <c>FRESHCHAT_EMULATOR_PROFILE</c> decides.</summary>
    public static Option<Freshchat.EmulatorProfile?> Profile(string description) => new(BehaviourOptions.Profile)
    {
        Description = description,
        HelpName = "default|other",
        CustomParser = result => Parse<Freshchat.EmulatorProfile?>(result, BehaviourOptions.Profile, value => BehaviourOptions.ParseProfile(value)),
    };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static T Parse<T>(ArgumentResult result, string name, Func<string, T> convert)
    {
        // A following option is a forgotten value, not the value itself ("--users --seed 3").
        if (result.Tokens is not [.., var token] || token.Value.StartsWith("--", StringComparison.Ordinal))
        {
            result.AddError($"option '{name}' needs a value");
            return default!;
        }

        try
        {
            return convert(token.Value);
        }
        catch (UsageException e)
        {
            result.AddError(e.Message);
            return default!;
        }
    }

    private static int Integer(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new UsageException($"option '{name}' expects a whole number, got '{value}'");
        }

        return number < min || number > max ? throw new UsageException($"option '{name}' must be between {min} and {max}, got {number}") : number;
    }

    private static string ListenAddress(string name, string value)
    {
        if (string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback.ToString();
        }

        // IPAddress.TryParse also takes inet_aton shorthands ("8080" is 0.0.31.144); accept dotted quads only.
        if (!IPAddress.TryParse(value.Trim('[', ']'), out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != value))
        {
            throw new UsageException($"option '{name}' expects an IP address such as 127.0.0.1 or 0.0.0.0, got '{value}'");
        }

        return address.ToString();
    }

    private static string[] Topics(string name, string value)
    {
        var topics = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (topics.Length == 0)
        {
            throw new UsageException($"option '{name}' expects a comma-separated list of topic names");
        }

        foreach (var topic in topics)
        {
            // Kafka's legal topic characters; anything else would only fail later inside the mock cluster.
            if (topic.Length > 249 || !topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new UsageException($"option '{name}': '{topic}' is not a valid Kafka topic name");
            }
        }

        return topics.Distinct(StringComparer.Ordinal).ToArray();
    }
}
