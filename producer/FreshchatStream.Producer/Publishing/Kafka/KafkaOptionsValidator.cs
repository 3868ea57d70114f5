using System.Text.RegularExpressions;
using FreshchatStream.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>Validates <see cref="KafkaOptions"/> at start; every message names the configuration key.</summary>
public sealed partial class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    /// <summary>Longest prefix that still leaves room for the longest topic suffix within Kafka's 249 characters.</summary>
    public const int MaxTopicPrefixLength = 200;

    /// <summary>Pass-through keys the producer sets itself: changing them would break its delivery guarantee.</summary>
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = "use Kafka:BootstrapServers",
        ["enable.idempotence"] = "the producer is always idempotent",
        ["acks"] = "the producer always uses acks=all",
        ["request.required.acks"] = "the producer always uses acks=all",
        ["message.timeout.ms"] = "use Kafka:DeliveryTimeout",
        ["delivery.timeout.ms"] = "use Kafka:DeliveryTimeout",
        ["transactional.id"] = "the producer is not transactional",
    };

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add("Kafka:BootstrapServers is required (e.g. localhost:9092).");
        }

        if (string.IsNullOrEmpty(options.TopicPrefix) || !TopicCharacters().IsMatch(options.TopicPrefix) || options.TopicPrefix is "." or "..")
        {
            failures.Add("Kafka:TopicPrefix must be non-empty and use only letters, digits, '.', '_' and '-'.");
        }
        else if (options.TopicPrefix.Length > MaxTopicPrefixLength)
        {
            failures.Add($"Kafka:TopicPrefix must be at most {MaxTopicPrefixLength} characters.");
        }

        if (options.TopicPartitions is < 1 or > 10_000)
        {
            failures.Add("Kafka:TopicPartitions must be between 1 and 10000.");
        }

        if (options.ReplicationFactor < 1)
        {
            failures.Add("Kafka:ReplicationFactor must be at least 1.");
        }

        CheckDuration(failures, "Kafka:DeliveryTimeout", options.DeliveryTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckDuration(failures, "Kafka:FlushTimeout", options.FlushTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        CheckDuration(failures, "Kafka:AdminTimeout", options.AdminTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));

        LibrdkafkaSettings.Validate(options.ClientSettings.Keys, Reserved, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDuration(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:c} and {max:c}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex TopicCharacters();
}
