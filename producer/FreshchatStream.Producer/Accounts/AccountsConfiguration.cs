using System.Text.RegularExpressions;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// Reads <c>Accounts:{name}:*</c>: each account's <c>Freshchat:*</c> (BaseUrl and ApiKey required, other keys
/// default to the top-level <c>Freshchat</c> section), optional <c>Capture:*</c> overrides, an optional
/// <c>Kafka:TopicPrefix</c> that isolates the account's topics, an optional <c>Redis:KeyPrefix</c> that keeps an
/// existing namespace (default <c>{Redis:KeyPrefix}:{name}</c>) and an optional <c>Webhooks:PublicKey</c> (default the top-level key). Anything else under an account is refused naming
/// the key, so a typo cannot silently fall back to the shared setting.
/// </summary>
public static partial class AccountsConfiguration
{
    public const string Section = "Accounts";

    private static readonly string[] AccountSections = ["Freshchat", "Capture", "Kafka", "Redis", "Webhooks"];

    /// <summary>Whether <c>Accounts</c> is configured; without it the top-level <c>Freshchat</c> section is the only account.</summary>
    public static bool IsConfigured(IConfiguration configuration) => configuration.GetSection(Section).GetChildren().Any();

    /// <summary>
    /// The configured accounts in name order, each with its account-scoped configuration view.
    /// </summary>
    /// <exception cref="ConfigurationErrorException">An invalid name or key, naming it.</exception>
    public static IReadOnlyList<ConfiguredAccount> Read(IConfiguration configuration, int assignmentPartitions)
    {
        var failures = new List<string>();
        var accounts = new List<ConfiguredAccount>();
        var rootPrefix = configuration["Redis:KeyPrefix"] is { Length: > 0 } prefix ? prefix : new RedisOptions().KeyPrefix;
        foreach (var section in configuration.GetSection(Section).GetChildren().OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var name = section.Key;
            var path = $"{Section}:{name}";
            if (!AccountName().IsMatch(name))
            {
                failures.Add($"{path}: the account name must match [a-z0-9-]{{1,40}} (lower-case letters, digits and '-').");
                continue;
            }

            failures.AddRange(UnknownKeys(section, path));
            foreach (var required in new[] { "Freshchat:BaseUrl", "Freshchat:ApiKey" })
            {
                if (string.IsNullOrWhiteSpace(section[required]))
                {
                    failures.Add($"{path}:{required} is required.");
                }
            }

            var keyPrefix = section["Redis:KeyPrefix"] is { Length: > 0 } own ? own : $"{rootPrefix}:{name}";
            accounts.Add(new ConfiguredAccount(name, AccountPartitions.Of(name, assignmentPartitions), Scope(configuration, section, name, keyPrefix)));
        }

        foreach (var shared in accounts.GroupBy(a => a.KeyPrefix, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{Section}: accounts {string.Join(", ", shared.Select(a => a.Name))} share the Redis namespace '{shared.Key}'; give each its own Redis:KeyPrefix.");
        }

        if (failures.Count > 0)
        {
            throw new ConfigurationErrorException(string.Join(" ", failures));
        }

        return accounts;
    }

    /// <summary>
    /// The root configuration with the account's keys laid over it, <c>Capture:Account</c> set to its name and
    /// <c>Redis:KeyPrefix</c> to its namespace: what every <c>AddXxx</c> of the producer binds for this account.
    /// </summary>
    private static IConfiguration Scope(IConfiguration root, IConfigurationSection account, string name, string keyPrefix) =>
        new ConfigurationBuilder()
            .AddConfiguration(root, shouldDisposeConfiguration: false)
            .AddConfiguration(account, shouldDisposeConfiguration: false)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Capture:Account"] = name, ["Redis:KeyPrefix"] = keyPrefix })
            .Build();

    private static IEnumerable<string> UnknownKeys(IConfigurationSection account, string path)
    {
        foreach (var child in account.GetChildren())
        {
            var key = $"{path}:{child.Key}";
            if (!AccountSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{key} is not an account setting (an account takes Freshchat:*, Capture:*, Kafka:TopicPrefix, Redis:KeyPrefix and Webhooks:PublicKey).";
            }
            else if (child.Key is var section && (section.Equals("Kafka", StringComparison.OrdinalIgnoreCase) || section.Equals("Redis", StringComparison.OrdinalIgnoreCase)
                         || section.Equals("Webhooks", StringComparison.OrdinalIgnoreCase)))
            {
                var allowed = section.Equals("Kafka", StringComparison.OrdinalIgnoreCase) ? "TopicPrefix"
                    : section.Equals("Redis", StringComparison.OrdinalIgnoreCase) ? "KeyPrefix" : "PublicKey";
                foreach (var setting in child.GetChildren().Where(s => !s.Key.Equals(allowed, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return $"{key}:{setting.Key} cannot be set per account (only {child.Key}:{allowed}; {(allowed == "PublicKey" ? "the endpoint is" : "the connection is")} shared by every account).";
                }
            }
            else if (child.Key.Equals("Capture", StringComparison.OrdinalIgnoreCase) && child["Account"] is not null)
            {
                yield return $"{key}:Account cannot be set: the account's name ({account.Key}) is its name in __account and ce_source.";
            }
        }
    }

    [GeneratedRegex("^[a-z0-9-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountName();
}
