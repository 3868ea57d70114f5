using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// Spreads the accounts of <c>Accounts:*</c> over the running instances with Kafka's own group coordinator
/// rather than a scheme of ours: every instance joins the consumer group <c>{TopicPrefix}.capture</c> on the
/// control topic <c>{TopicPrefix}.capture-assignments</c> (<c>Capture:AssignmentPartitions</c> partitions, no
/// records) and captures the accounts whose partition (<see cref="AccountPartitions"/>) it is assigned. The
/// cooperative-sticky assignor moves only what must move. On revocation, and when partitions are lost (the session
/// expired), the accounts are stopped — flushed and committed — before the handler returns, so the coordinator
/// hands them on only after their state is safe. The loop keeps polling while capture runs, so
/// <c>max.poll.interval.ms</c> never expires for an instance that is merely busy.
/// </summary>
public sealed class AccountAssignment(
    AccountCaptures captures,
    KafkaConnection connection,
    ITopicProvisioner provisioner,
    TopicPartitionCounts partitionCounts,
    IOptions<KafkaOptions> kafka,
    IOptions<CaptureOptions> options,
    ILogger<AccountAssignment> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(250);

    public string GroupId => $"{kafka.Value.TopicPrefix}.capture";

    public string Topic => AssignmentTopic(kafka.Value.TopicPrefix);

    public static string AssignmentTopic(string topicPrefix) => $"{topicPrefix}.capture-assignments";

    /// <summary>
    /// Creates the control topic with <c>Capture:AssignmentPartitions</c> partitions (when <c>Kafka:CreateTopics</c>)
    /// and refuses to start when it exists with another count: accounts mapped to partitions it lacks would never be captured.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var partitions = options.Value.AssignmentPartitions;
        if (kafka.Value.CreateTopics)
        {
            await provisioner.EnsureTopicsAsync([new TopicSpec(Topic, TopicCleanup.Delete, partitions)], cancellationToken);
        }

        try
        {
            var actual = await Task.Run(() => partitionCounts.Get(Topic), cancellationToken);
            if (actual != partitions)
            {
                throw new ConfigurationErrorException(
                    $"{Topic} has {actual} partition(s) but Capture:AssignmentPartitions is {partitions}: set it to {actual}, or recreate the topic with every instance stopped.");
            }
        }
        catch (KafkaException e)
        {
            Log.TopicUnknown(logger, Topic, e.Error.Reason);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Poll(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Poll(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var config = connection.ConsumerConfig(GroupId);
        var session = (int)settings.AssignmentSessionTimeout.TotalMilliseconds;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        config.SessionTimeoutMs = session;
        config.HeartbeatIntervalMs = Math.Max(100, session / 3);
        config.MaxPollIntervalMs = Math.Max(300_000, session);
        config.AutoOffsetReset = AutoOffsetReset.Latest;
        config.ClientId = "freshchat-stream-capture";
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config)
            .SetPartitionsAssignedHandler((_, partitions) => Assigned(partitions, stoppingToken))
            .SetPartitionsRevokedHandler((_, partitions) => Revoked(partitions.Select(p => p.TopicPartition), lost: false))
            .SetPartitionsLostHandler((_, partitions) => Revoked(partitions.Select(p => p.TopicPartition), lost: true))
            .SetErrorHandler((_, error) => Log.GroupError(logger, error.Code, error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Subscribe(Topic);
        Log.Joining(logger, GroupId, Topic, captures.Accounts.Count, settings.AssignmentPartitions);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    consumer.Consume(PollTimeout);
                }
                catch (ConsumeException e)
                {
                    Log.GroupError(logger, e.Error.Code, e.Error.Reason);
                    stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                }
            }
        }
        finally
        {
            // Close revokes every partition through the handler (so the accounts are flushed and committed) and
            // leaves the group at once, so the others take the accounts over without waiting for the session timeout.
            consumer.Close();
        }
    }

    private void Assigned(IEnumerable<TopicPartition> partitions, CancellationToken stoppingToken)
    {
        var carried = AccountPartitions.Carried(captures.Accounts, Partitions(partitions));
        Log.Assigned(logger, Describe(partitions), carried.Count == 0 ? "none" : string.Join(",", carried.Select(a => a.Name)));
        captures.Start(carried, stoppingToken);
    }

    private void Revoked(IEnumerable<TopicPartition> partitions, bool lost)
    {
        var list = partitions.ToList();
        var carried = AccountPartitions.Carried(captures.Accounts, Partitions(list));
        Log.Revoked(logger, lost ? "lost" : "revoked", Describe(list), carried.Count == 0 ? "none" : string.Join(",", carried.Select(a => a.Name)));
        captures.StopAsync(carried, CancellationToken.None).GetAwaiter().GetResult();
    }

    private HashSet<int> Partitions(IEnumerable<TopicPartition> partitions) =>
        [.. partitions.Where(p => p.Topic == Topic).Select(p => p.Partition.Value)];

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(",", partitions.Select(p => p.Partition.Value).Order());
}
