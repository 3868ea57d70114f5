namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>Reads the <c>ce_source</c> header of every record in some topics, oldest first per partition.</summary>
public interface IPublishedRecordScan
{
    /// <summary>Each record's <c>ce_source</c> (null when it has none), lazily: a caller may stop early.</summary>
    IEnumerable<string?> Sources(IReadOnlyCollection<string> topics);
}
