namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Whether an account's events are already in its topics: what tells a state store that lost its data from a
/// first run. A seam so the rule (whose records count) is tested without brokers.
/// </summary>
public interface IPublishedHistory
{
    /// <summary>
    /// How many captured events of this account the topics hold (a lower bound where counting all would mean
    /// reading every record); 0 on a fresh deployment. Throws <see cref="Confluent.Kafka.KafkaException"/> when
    /// the brokers do not answer.
    /// </summary>
    long CountCaptured();
}
