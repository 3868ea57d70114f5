using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Reads every entity topic and the messages topic of a scenario and checks them against an
/// <see cref="EmulatorOracle"/>: every required version, deletion and message present at least once; records
/// sharing a version share one <c>__event_id</c> (and one id, one version); no event for a version that never
/// existed; each conversation's messages in one partition, first occurrences in <c>created_time</c> order.
/// </summary>
internal static class TopicAudit
{
    public static AuditResult Run(CaptureScenario scenario, EmulatorOracle oracle)
    {
        var problems = new List<string>();
        var events = 0;
        var duplicates = 0;
        var present = new HashSet<EntityVersion>();
        var deletes = new HashSet<EntityKey>();
        foreach (var topic in EmulatorOracle.EntityTopics)
        {
            var records = scenario.Read(topic);
            events += records.Count;
            var versionsById = new Dictionary<string, EntityVersion>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                var key = new EntityKey(topic.Resource, record.Id);
                if (record.IsTombstone || record.Op == "d")
                {
                    deletes.Add(key);
                    if (!oracle.WasDeleted(key))
                    {
                        problems.Add($"{key}: deleted in the topic ({record.Op ?? "tombstone"}) but it exists in Freshchat");
                    }

                    continue;
                }

                var version = new EntityVersion(key, Fingerprint.Compute(record.Raw!));
                if (!oracle.IsKnownVersion(key, version.Fingerprint))
                {
                    problems.Add($"{key}: a {record.Op} event for a version that never existed in Freshchat");
                }

                present.Add(version);
                if (versionsById.TryGetValue(record.EventId!, out var earlier))
                {
                    duplicates++;
                    if (earlier != version)
                    {
                        problems.Add($"{key}: __event_id {record.EventId} names two different versions");
                    }
                }
                else
                {
                    versionsById[record.EventId!] = version;
                }
            }

            foreach (var split in versionsById.GroupBy(p => p.Value).Where(g => g.Count() > 1))
            {
                problems.Add($"{split.Key.Key}: one version published under {split.Count()} different __event_ids");
            }
        }

        var deadLettered = ReadDeadLetters(scenario);
        present.UnionWith(deadLettered);
        var lost = oracle.Required.Where(v => !present.Contains(v)).ToList();
        problems.AddRange(lost.Take(20).Select(v => $"{v.Key}: version {v.Fingerprint[..12]} was never published"));
        var lostDeletes = oracle.RequiredDeletes.Where(k => !deletes.Contains(k) && present.Any(v => v.Key == k)).ToList();
        problems.AddRange(lostDeletes.Take(20).Select(k => $"{k}: deleted in Freshchat, no d event"));

        var messages = AuditMessages(scenario, oracle, problems, out var messageDuplicates, out var messageCount, out var lostMessages);
        return new AuditResult(events + messageCount, lost.Count + lostDeletes.Count + lostMessages, duplicates + messageDuplicates, problems)
        {
            DeadLettered = deadLettered.Count,
        };
    }

    /// <summary>Entity versions on the dead-letter topic (a version the schema cannot hold is accounted for there, with its reason).</summary>
    private static HashSet<EntityVersion> ReadDeadLetters(CaptureScenario scenario)
    {
        var topic = scenario.Topics.DeadLetter;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = scenario.Settings["Kafka:BootstrapServers"], GroupId = "reliability-audit", EnableAutoCommit = false, EnablePartitionEof = true,
                FetchWaitMaxMs = CaptureScenario.ReaderFetchWaitMaxMs,
            }).Build();
        MockPartitionLog.AssignFromBeginning(consumer, topic, scenario.Partitions);
        var versions = new HashSet<EntityVersion>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (atEnd.Count < scenario.Partitions && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }

            var sourceTopic = Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(DeadLetterPublisher.TopicHeader));
            var resource = sourceTopic[(sourceTopic.LastIndexOf('.') + 1)..];
            if (EmulatorOracle.EntityTopics.FirstOrDefault(t => t.Resource == resource) is { } entityTopic
                && JsonNode.Parse(result.Message.Value) is JsonObject entity && entity[entityTopic.IdField] is { } id)
            {
                versions.Add(new EntityVersion(new EntityKey(resource, id.ToString()), Fingerprint.Compute(entity)));
            }
        }

        Assert.True(atEnd.Count == scenario.Partitions, $"Could not read {topic} to its end within 20 s.");
        return versions;
    }

    private static int AuditMessages(CaptureScenario scenario, EmulatorOracle oracle, List<string> problems, out int duplicates, out int count, out int lost)
    {
        var records = scenario.Read(CaptureCatalogue.MessagesTopic);
        count = records.Count;
        duplicates = 0;
        var eventIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstSeen = new HashSet<string>(StringComparer.Ordinal);
        var lastInConversation = new Dictionary<string, (MessageFact Fact, int Partition)>(StringComparer.Ordinal);
        foreach (var record in records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            var conversationId = (string)record.Key["conversation_id"];
            if (eventIds.TryGetValue(record.EventId!, out var earlierId))
            {
                duplicates++;
                if (earlierId != record.Id)
                {
                    problems.Add($"messages: __event_id {record.EventId} names messages {earlierId} and {record.Id}");
                }

                continue;
            }

            eventIds[record.EventId!] = record.Id;
            if (!firstSeen.Add(record.Id))
            {
                problems.Add($"messages/{record.Id}: published twice under different __event_ids");
                continue;
            }

            if (oracle.Message(record.Id) is not { } fact || fact.ConversationId != conversationId)
            {
                problems.Add($"messages/{record.Id}: not a message of conversation {conversationId} in Freshchat");
                continue;
            }

            if (lastInConversation.TryGetValue(conversationId, out var last))
            {
                if (last.Partition != record.Partition)
                {
                    problems.Add($"conversation {conversationId}: messages in partitions {last.Partition} and {record.Partition}");
                }
                else if (fact.CreatedTime < last.Fact.CreatedTime)
                {
                    problems.Add($"conversation {conversationId}: message {fact.Id} ({fact.CreatedTime:O}) after {last.Fact.Id} ({last.Fact.CreatedTime:O})");
                }
            }

            lastInConversation[conversationId] = (fact, record.Partition);
        }

        var missing = oracle.RequiredMessages.Where(id => !firstSeen.Contains(id)).ToList();
        problems.AddRange(missing.Take(20).Select(id => $"messages/{id}: never published"));
        lost = missing.Count;
        return count;
    }
}

/// <summary>The outcome of an audit: records read, required items missing, repeated records, and every problem found.</summary>
internal sealed record AuditResult(int EventsChecked, int Lost, int Duplicates, IReadOnlyList<string> Problems)
{
    /// <summary>Required versions found on the dead-letter topic instead of their own.</summary>
    public int DeadLettered { get; init; }

    public bool Clean => Problems.Count == 0;

    public override string ToString() =>
        $"{EventsChecked} events checked, {Lost} lost, {Duplicates} duplicates, {Problems.Count} problems" +
        (Problems.Count == 0 ? "" : ":\n  " + string.Join("\n  ", Problems.Take(40)));
}
