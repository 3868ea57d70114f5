using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Hosting;

/// <summary>
/// The librdkafka pass-through of a <c>Kafka:*</c> section, read the same way by the producer and the landers: every
/// key that is not a named setting of a FreshchatStream client goes to librdkafka unchanged (<c>Kafka:security.protocol</c>,
/// <c>Kafka:sasl.password</c>). The named settings of both clients are skipped by both, so one configuration
/// (a ConfigMap, an env file) can serve a producer and a lander.
/// </summary>
public static partial class LibrdkafkaSettings
{
    /// <summary>The producer's named <c>Kafka:*</c> settings (its <c>KafkaOptions</c> properties; a unit test keeps them equal).</summary>
    public static readonly IReadOnlySet<string> ProducerSettings = new HashSet<string>(
        ["BootstrapServers", "TopicPrefix", "CreateTopics", "TopicPartitions", "ReplicationFactor", "DeliveryTimeout", "FlushTimeout", "AdminTimeout", "ClientSettings"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The section's keys that are not named settings, as librdkafka properties.</summary>
    /// <remarks>
    /// Binding them explicitly (rather than <c>Bind</c> onto a client config) is what lets dotted keys such as
    /// <c>sasl.mechanism</c> through.
    /// </remarks>
    public static Dictionary<string, string> Read(IConfigurationSection section, IEnumerable<string> namedSettings)
    {
        ArgumentNullException.ThrowIfNull(section);
        var named = new HashSet<string>(namedSettings, StringComparer.OrdinalIgnoreCase);
        named.UnionWith(ProducerSettings);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in section.GetChildren())
        {
            if (named.Contains(child.Key))
            {
                continue;
            }

            // A nested section cannot be a librdkafka property; keep it so validation can name it.
            settings[child.Key] = child.Value ?? string.Empty;
        }

        return settings;
    }

    /// <summary>
    /// Adds a failure naming <c>Kafka:{key}</c> for each key that is not a librdkafka property name, or that the
    /// client sets itself (<paramref name="reserved"/>: key → what to use instead).
    /// </summary>
    public static void Validate(IEnumerable<string> keys, IReadOnlyDictionary<string, string> reserved, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(reserved);
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var key in keys)
        {
            if (!PropertyName().IsMatch(key))
            {
                failures.Add($"Kafka:{key} is not a known setting; librdkafka pass-through keys are lower-case dotted names such as security.protocol.");
            }
            else if (reserved.TryGetValue(key, out var reason))
            {
                failures.Add($"Kafka:{key} cannot be set: {reason}.");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]+([._][a-z0-9]+)*$")]
    private static partial Regex PropertyName();
}
