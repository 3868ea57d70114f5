namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Makes sure the producer's topics exist before it writes. Behind an interface because the admin API may be
/// unavailable (librdkafka's mock cluster, locked-down brokers): implementations must finish within a bounded
/// time and never fail capture for that reason.
/// </summary>
public interface ITopicProvisioner
{
    /// <summary>Creates the missing topics of <paramref name="topics"/>; never alters existing ones.</summary>
    Task<TopicProvisioningResult> EnsureTopicsAsync(IReadOnlyCollection<TopicSpec> topics, CancellationToken cancellationToken = default);
}

/// <summary>What provisioning did: topics created, found, found with another cleanup policy, and whether the admin API answered.</summary>
public sealed record TopicProvisioningResult(
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Existing,
    IReadOnlyList<string> PolicyMismatches,
    bool AdminApiAnswered);
