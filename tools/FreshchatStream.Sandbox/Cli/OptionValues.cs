using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>Converts option values and turns a bad one into a <see cref="UsageException"/> that names the option.</summary>
internal static class OptionValues
{
    public static int Integer(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new UsageException($"option '{name}' expects a whole number, got '{value}'");
        }

        if (number < min || number > max)
        {
            throw new UsageException($"option '{name}' must be between {min} and {max}, got {number}");
        }

        return number;
    }

    public static string NonEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"option '{name}' must not be empty") : value;

    /// <summary>An IP address for Kestrel to bind ("localhost" means 127.0.0.1); returned in the form the emulators parse.</summary>
    public static string ListenAddress(string name, string value)
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

    /// <summary>An absolute http:// or https:// URL.</summary>
    public static Uri HttpUrl(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"option '{name}' expects an absolute http(s) URL such as http://127.0.0.1:8080/webhooks, got '{value}'");
        }

        return url;
    }

    public static string[] TopicList(string name, string value)
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
