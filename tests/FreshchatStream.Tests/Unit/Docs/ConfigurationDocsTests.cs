using System.Reflection;
using System.Text.RegularExpressions;
using FreshchatStream.Consumers.DuckDb;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Consumers.Postgres;
using FreshchatStream.Hosting;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Docs;

/// <summary>docs/configuration.md documents every bindable option (and nothing that does not exist).</summary>
public sealed partial class ConfigurationDocsTests
{
    private static readonly Type[] OptionClasses =
        [typeof(FreshchatOptions), typeof(KafkaOptions), typeof(SchemaRegistryOptions), typeof(RedisOptions), typeof(LeaseOptions), typeof(CaptureOptions), typeof(ObservabilityOptions),
         typeof(FreshchatStream.Producer.Webhooks.WebhookOptions), typeof(LanderKafkaOptions), typeof(LanderOptions), typeof(DuckDbOptions), typeof(PostgresOptions),
         typeof(FreshchatStream.Consumers.Parquet.ParquetOptions)];

    private static HashSet<string> DocumentedKeys()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("docs", "configuration.md"));
        return KeyCell().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            // ClientSettings is the librdkafka pass-through bag, documented as Kafka:<librdkafka property>.
            if (property.Name == nameof(KafkaOptions.ClientSettings) || property.Name == nameof(LanderKafkaOptions.ClientSettings))
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.PropertyType.Namespace!.StartsWith("FreshchatStream", StringComparison.Ordinal))
            {
                foreach (var nested in Keys(property.PropertyType, key))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    private static IEnumerable<string> AllOptionKeys() =>
        OptionClasses.SelectMany(type => Keys(type, (string)type.GetField("Section")!.GetValue(null)!)).Distinct(StringComparer.Ordinal);

    public static TheoryData<string> OptionKeys() => new(AllOptionKeys());

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void EveryOption_IsDocumented(string key)
    {
        Assert.Contains(key, DocumentedKeys());
    }

    [Fact]
    public void EveryDocumentedKey_IsAnOption()
    {
        var options = AllOptionKeys().ToHashSet(StringComparer.Ordinal);
        var extras = DocumentedKeys().Where(k => !options.Contains(k) && !k.StartsWith("Logging:", StringComparison.Ordinal)
                                                && k != "Kafka:<librdkafka property>" && k != "Capture:Account"
                                                && !k.StartsWith("Accounts:{name}:", StringComparison.Ordinal)).ToList();

        Assert.Empty(extras);
    }

    [GeneratedRegex(@"^\| `([A-Za-z]+:[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex KeyCell();
}
