using System.Runtime.InteropServices;

namespace FreshchatStream.Sandbox.Kafka;

/// <summary>
/// The slice of librdkafka's C API (rdkafka.h and the experimental rdkafka_mock.h) that hosting a mock cluster needs.
/// Every entry point resolves through <see cref="RdKafkaLibrary"/> to the copy Confluent.Kafka uses.
/// </summary>
internal static unsafe partial class MockClusterNative
{
    private const string Lib = RdKafkaLibrary.ImportName;

    public const int RdKafkaProducer = 0;
    public const int ConfOk = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint rk);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_err2str")]
    public static partial nint Err2Str(int err);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint MockClusterNew(nint rk, int brokerCount);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(nint mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint MockClusterBootstraps(nint mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(nint mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(nint mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(nint mcluster, int brokerId);

    // The variadic rd_kafka_mock_push_request_errors cannot be called portably from .NET; the array form can.
    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static partial void MockPushRequestErrorsArray(nint mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static partial void MockClearRequestErrors(nint mcluster, short apiKey);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void MockGroupInitialRebalanceDelayMs(nint mcluster, int delayMs);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_set_group_consumer_heartbeat_interval_ms")]
    public static partial void MockSetGroupConsumerHeartbeatIntervalMs(nint mcluster, int intervalMs);

    public static string ErrorText(int err) => Marshal.PtrToStringUTF8(Err2Str(err)) ?? $"error {err}";

    /// <summary>Whether the loaded library exports <paramref name="symbol"/> (the mock API is experimental and varies by version).</summary>
    public static bool HasExport(string symbol) => NativeLibrary.TryGetExport(RdKafkaLibrary.Handle, symbol, out _);
}
