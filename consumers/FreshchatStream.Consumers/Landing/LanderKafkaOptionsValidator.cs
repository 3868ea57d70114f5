using FreshchatStream.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Consumers.Landing;

/// <summary>Validates <see cref="LanderKafkaOptions"/>; every message names the key, never a value.</summary>
public sealed class LanderKafkaOptionsValidator : IValidateOptions<LanderKafkaOptions>
{
    /// <summary>Consumer properties the lander sets itself: its at-least-once landing depends on them.</summary>
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = "use Kafka:BootstrapServers",
        ["group.id"] = "use Lander:Group",
        ["enable.auto.offset.store"] = "offsets are stored only after the warehouse commits",
        ["enable.auto.commit"] = "the lander commits what it stored",
        ["enable.partition.eof"] = "the lander needs end-of-partition events for --once",
        ["session.timeout.ms"] = "use Lander:SessionTimeout",
    };

    public ValidateOptionsResult Validate(string? name, LanderKafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add("Kafka:BootstrapServers (--bootstrap-servers) is required (e.g. localhost:9092).");
        }

        if (string.IsNullOrEmpty(options.TopicPrefix) || options.TopicPrefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            failures.Add("Kafka:TopicPrefix (--prefix) must be non-empty and use only letters, digits, '.', '_' and '-'.");
        }

        LibrdkafkaSettings.Validate(options.ClientSettings.Keys, Reserved, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
