using FreshchatStream.Hosting;

namespace FreshchatStream.Consumers.Landing;

/// <summary>What a lander consumes and how: brokers, registry, topics, group, batching, and whether to stop when caught up.</summary>
public sealed record LanderSettings(
    string BootstrapServers,
    string SchemaRegistryUrl,
    string TopicPrefix,
    IReadOnlyList<string> Resources,
    string GroupId)
{
    /// <summary>Most records landed per database transaction.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Longest wait to fill a batch before landing what is there.</summary>
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Stop once every assigned partition is read to its end (backfills, tests, the demo).</summary>
    public bool Once { get; init; }

    /// <summary>Consumer group session timeout; short values make restarts rejoin faster.</summary>
    public int SessionTimeoutMs { get; init; } = 45_000;

    /// <summary>Further librdkafka consumer settings (security.protocol, sasl.*, …).</summary>
    public IReadOnlyDictionary<string, string> ClientSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The registry's URL, basic auth and TLS settings; by default <see cref="SchemaRegistryUrl"/> alone.</summary>
    public SchemaRegistryOptions? SchemaRegistry { get; init; }

    public IEnumerable<string> Topics => Resources.Select(r => $"{TopicPrefix}.{r}");

    public string ResourceOf(string topic) => topic.StartsWith(TopicPrefix + ".", StringComparison.Ordinal) ? topic[(TopicPrefix.Length + 1)..] : topic;
}
