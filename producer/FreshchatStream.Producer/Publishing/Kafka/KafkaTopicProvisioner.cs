using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Creates missing topics through the Kafka admin API with <c>Kafka:TopicPartitions</c>,
/// <c>Kafka:ReplicationFactor</c> and the cleanup policy of each topic. Existing topics are only inspected: a
/// different <c>cleanup.policy</c> is logged as a warning, never changed. Every admin call is bounded by
/// <c>Kafka:AdminTimeout</c>; a broker that does not answer (the mock cluster) is logged once and capture
/// carries on with existing or auto-created topics.
/// </summary>
public sealed class KafkaTopicProvisioner(KafkaConnection connection, IOptions<KafkaOptions> options, ILogger<KafkaTopicProvisioner> logger)
    : ITopicProvisioner
{
    private int _silenceLogged;

    public async Task<TopicProvisioningResult> EnsureTopicsAsync(IReadOnlyCollection<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var timeout = settings.AdminTimeout;
        var admin = new AdminClientBuilder(connection.AdminConfig())
            .SetLogHandler((_, _) => { })
            .Build();
        var answered = true;
        try
        {
            Metadata metadata;
            try
            {
                metadata = await Task.Run(() => admin.GetMetadata(timeout), cancellationToken).WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                LogSilentOnce(timeout);
                return new TopicProvisioningResult([], [], [], AdminApiAnswered: false);
            }

            var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
            var missing = topics.Where(t => !existing.Contains(t.Name)).ToList();
            var present = topics.Where(t => existing.Contains(t.Name)).ToList();

            var created = new List<string>();
            if (missing.Count > 0)
            {
                var specifications = missing.Select(t => new TopicSpecification
                {
                    Name = t.Name,
                    NumPartitions = t.Partitions ?? settings.TopicPartitions,
                    ReplicationFactor = settings.ReplicationFactor,
                    Configs = new Dictionary<string, string> { ["cleanup.policy"] = Policy(t.Cleanup) },
                }).ToList();
                try
                {
                    await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout })
                        .WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken);
                    created.AddRange(missing.Select(t => t.Name));
                }
                catch (CreateTopicsException e)
                {
                    foreach (var result in e.Results)
                    {
                        if (result.Error.Code is ErrorCode.NoError)
                        {
                            created.Add(result.Topic);
                        }
                        else if (result.Error.Code is ErrorCode.TopicAlreadyExists)
                        {
                            present.Add(missing.First(t => t.Name == result.Topic));
                        }
                        else if (result.Error.Code is ErrorCode.RequestTimedOut or ErrorCode.Local_TimedOut)
                        {
                            answered = false;
                        }
                        else
                        {
                            Log.TopicCreateFailed(logger, result.Topic, result.Error.Reason);
                        }
                    }
                }
                catch (Exception e) when (e is KafkaException or TimeoutException)
                {
                    answered = false;
                }

                foreach (var topic in created)
                {
                    Log.TopicCreated(logger, topic, settings.TopicPartitions, settings.ReplicationFactor, Policy(missing.First(t => t.Name == topic).Cleanup));
                }
            }

            var mismatches = new List<string>();
            if (answered && present.Count > 0)
            {
                try
                {
                    var described = await admin.DescribeConfigsAsync(
                            present.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t.Name }).ToList(),
                            new DescribeConfigsOptions { RequestTimeout = timeout })
                        .WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken);
                    foreach (var result in described)
                    {
                        var expected = Policy(present.First(t => t.Name == result.ConfigResource.Name).Cleanup);
                        if (result.Entries.TryGetValue("cleanup.policy", out var entry) && !PolicyMatches(entry.Value, expected))
                        {
                            mismatches.Add(result.ConfigResource.Name);
                            Log.PolicyMismatch(logger, result.ConfigResource.Name, entry.Value, expected);
                        }
                    }
                }
                catch (Exception e) when (e is KafkaException or TimeoutException)
                {
                    answered = false;
                }
            }

            if (!answered)
            {
                LogSilentOnce(timeout);
            }

            return new TopicProvisioningResult(created, [.. present.Select(t => t.Name)], mismatches, answered);
        }
        finally
        {
            // A handle with an unanswered request can take a moment to close; never hold up start for it.
            if (answered)
            {
                admin.Dispose();
            }
            else
            {
                _ = Task.Run(admin.Dispose, CancellationToken.None);
            }
        }
    }

    private static string Policy(TopicCleanup cleanup) => cleanup == TopicCleanup.Compact ? "compact" : "delete";

    private static bool PolicyMatches(string actual, string expected) =>
        actual.Split(',', StringSplitOptions.TrimEntries).Contains(expected, StringComparer.OrdinalIgnoreCase);

    private void LogSilentOnce(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _silenceLogged, 1) == 0)
        {
            Log.AdminSilent(logger, timeout);
        }
    }
}
