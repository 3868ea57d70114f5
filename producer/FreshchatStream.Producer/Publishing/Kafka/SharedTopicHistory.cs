using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// The published history of one account of a multi-account deployment, whose topics other accounts may share:
/// only records whose <c>ce_source</c> names this account count, so account B's records do not make account A
/// take a first run for a lost state, and A's first run is not mistaken for one. The scan stops at the account's
/// first record (a lower bound is all the state-loss check needs), and reads every record only when the account
/// has published nothing — a rare, one-off cost, paid when an account's state marker is missing.
/// </summary>
public sealed class SharedTopicHistory(IPublishedRecordScan scan, CaptureAccount account, IOptions<KafkaOptions> options) : IPublishedHistory
{
    private readonly string _source = CloudEventHeaders.EventSource(account.Name);

    public long CountCaptured()
    {
        var topics = new TopicNames(options.Value.TopicPrefix);
        var captured = CaptureCatalogue.Topics.Where(r => r != CaptureCatalogue.HeartbeatTopic)
            .Select(topics.For).ToList();
        return scan.Sources(captured).Any(source => string.Equals(source, _source, StringComparison.Ordinal)) ? 1 : 0;
    }
}
