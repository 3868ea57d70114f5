using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace FreshchatStream.Sandbox.Kafka;

/// <summary>
/// Hosts librdkafka's built-in mock Kafka cluster: real Kafka protocol on loopback ports, in memory, started in
/// milliseconds, reachable by any Kafka client in this or another process (Confluent.Kafka, kcat, Java). It supports
/// the idempotent producer, headers, consumer groups with commits, injected request errors and brokers going down
/// and up. It does not persist, and the Admin API's CreateTopics/Describe* do not answer: create topics with
/// <see cref="CreateTopic"/> (or rely on auto-creation). All members are thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Each partition keeps at most <see cref="PartitionLogCapBytes"/> (and 100,000 message sets): past that the oldest
/// message sets are dropped and the partition's low watermark moves up, as retention would. The cap is fixed in
/// librdkafka and cannot be configured; a reader that needs every record checks the low watermark is still 0, and
/// a test that publishes more spreads it over more partitions.
/// </para>
/// <para>
/// The cluster lives inside a producer handle this class owns, created in the same native library Confluent.Kafka
/// loaded, so it shares that library's global state with the clients that talk to it.
/// Dispose it: there is no finalizer, because tearing down broker threads from the finalizer thread can hang.
/// </para>
/// </remarks>
public sealed class MockKafkaCluster : IDisposable
{
    private const int ErrorBufferSize = 512;

    private readonly Lock _gate = new();
    private nint _owner;
    private nint _cluster;

    private MockKafkaCluster(nint owner, nint cluster, int brokerCount, string bootstrapServers)
    {
        _owner = owner;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The most bytes of message sets (compressed, as produced) one partition keeps before dropping its oldest.</summary>
    public const long PartitionLogCapBytes = 5L * 1024 * 1024;

    /// <summary>Comma-separated <c>host:port</c> list of the brokers, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1 to <see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster with <paramref name="brokers"/> brokers listening on free loopback ports.</summary>
    /// <exception cref="ArgumentOutOfRangeException">brokers is not between 1 and 32.</exception>
    /// <exception cref="InvalidOperationException">librdkafka could not be loaded or the cluster could not start.</exception>
    public static unsafe MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 32);

        _ = RdKafkaLibrary.Handle;
        var error = stackalloc byte[ErrorBufferSize];
        var conf = MockClusterNative.ConfNew();
        try
        {
            // The owner handle never connects anywhere; keep its "no bootstrap.servers" notices off stderr.
            SetConf(conf, "client.id", "freshchat-sandbox-mock-cluster", error);
            SetConf(conf, "log_level", "3", error);
        }
        catch
        {
            MockClusterNative.ConfDestroy(conf);
            throw;
        }

        // rd_kafka_new takes ownership of conf only when it succeeds.
        var owner = MockClusterNative.New(MockClusterNative.RdKafkaProducer, conf, error, ErrorBufferSize);
        if (owner == 0)
        {
            MockClusterNative.ConfDestroy(conf);
            throw new InvalidOperationException($"Could not create the librdkafka handle that hosts the mock cluster: {Text(error)}");
        }

        var cluster = MockClusterNative.MockClusterNew(owner, brokers);
        if (cluster == 0)
        {
            MockClusterNative.Destroy(owner);
            throw new InvalidOperationException($"librdkafka could not start a mock cluster with {brokers} broker(s) (are loopback ports available?).");
        }

        // Consumer groups: balance as soon as the first member joins instead of waiting the broker default,
        // and let KIP-848 (group.protocol=consumer) members heartbeat often, so tests need not wait for rebalances.
        if (MockClusterNative.HasExport("rd_kafka_mock_group_initial_rebalance_delay_ms"))
        {
            MockClusterNative.MockGroupInitialRebalanceDelayMs(cluster, 0);
        }

        if (MockClusterNative.HasExport("rd_kafka_mock_set_group_consumer_heartbeat_interval_ms"))
        {
            MockClusterNative.MockSetGroupConsumerHeartbeatIntervalMs(cluster, 500);
        }

        var bootstraps = Marshal.PtrToStringUTF8(MockClusterNative.MockClusterBootstraps(cluster));
        if (string.IsNullOrEmpty(bootstraps))
        {
            MockClusterNative.MockClusterDestroy(cluster);
            MockClusterNative.Destroy(owner);
            throw new InvalidOperationException("The mock cluster started but reported no bootstrap servers.");
        }

        return new MockKafkaCluster(owner, cluster, brokers, bootstraps);
    }

    /// <summary>
    /// Creates <paramref name="topic"/> with the given partitions. The mock ignores the Admin API, so this is how
    /// tests get a topic with a known partition count; topics not created here are auto-created on first use.
    /// </summary>
    /// <exception cref="KafkaException">The mock refused, e.g. <see cref="ErrorCode.TopicAlreadyExists"/>.</exception>
    public void CreateTopic(string topic, int partitions = 3, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);

        lock (_gate)
        {
            var err = MockClusterNative.MockTopicCreate(Cluster(), topic, partitions, replicationFactor);
            ThrowOnError(err, $"create topic '{topic}' ({partitions} partitions, replication factor {replicationFactor})");
        }
    }

    /// <summary>Disconnects the broker and refuses new connections until <see cref="SetBrokerUp"/>; leadership does not move.</summary>
    public void SetBrokerDown(int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            ThrowOnError(MockClusterNative.MockBrokerSetDown(Cluster(), brokerId), $"set broker {brokerId} down");
        }
    }

    /// <summary>Lets the broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            ThrowOnError(MockClusterNative.MockBrokerSetUp(Cluster(), brokerId), $"set broker {brokerId} up");
        }
    }

    /// <summary>
    /// Makes the next <c>errors.Length</c> requests of type <paramref name="apiKey"/> (see <see cref="KafkaApiKey"/>),
    /// on any broker, fail with these errors in order. <see cref="ErrorCode.Local_Transport"/> makes the broker
    /// drop the connection instead of answering.
    /// </summary>
    public unsafe void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(apiKey);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            return;
        }

        var codes = new int[errors.Length];
        for (var i = 0; i < errors.Length; i++)
        {
            codes[i] = (int)errors[i];
        }

        lock (_gate)
        {
            var cluster = Cluster();
            fixed (int* first = codes)
            {
                MockClusterNative.MockPushRequestErrorsArray(cluster, apiKey, (nuint)codes.Length, first);
            }
        }
    }

    /// <summary>Drops errors pushed for <paramref name="apiKey"/> that no request has consumed yet.</summary>
    public void ClearRequestErrors(short apiKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(apiKey);
        lock (_gate)
        {
            MockClusterNative.MockClearRequestErrors(Cluster(), apiKey);
        }
    }

    /// <summary>Stops the brokers (clients see disconnects) and releases the owning handle. Idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == 0)
            {
                return;
            }

            // The cluster must go before the handle it was created on.
            MockClusterNative.MockClusterDestroy(_cluster);
            MockClusterNative.Destroy(_owner);
            _cluster = 0;
            _owner = 0;
        }
    }

    private nint Cluster()
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        return _cluster;
    }

    private void CheckBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Broker ids of this mock cluster run from 1 to {BrokerCount}.");
        }
    }

    private static void ThrowOnError(int err, string action)
    {
        if (err != 0)
        {
            var code = (ErrorCode)err;
            throw new KafkaException(new Error(code, $"Mock cluster could not {action}: {MockClusterNative.ErrorText(err)} ({code})."));
        }
    }

    private static unsafe void SetConf(nint conf, string name, string value, byte* error)
    {
        if (MockClusterNative.ConfSet(conf, name, value, error, ErrorBufferSize) != MockClusterNative.ConfOk)
        {
            throw new InvalidOperationException($"librdkafka refused {name}={value}: {Text(error)}");
        }
    }

    private static unsafe string Text(byte* buffer)
    {
        var span = new ReadOnlySpan<byte>(buffer, ErrorBufferSize);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
