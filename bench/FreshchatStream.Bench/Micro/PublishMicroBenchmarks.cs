using Avro.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Unit.Publishing.Avro.Oracle;

namespace FreshchatStream.Bench.Micro;

/// <summary>
/// The per-event steps of the publish path, one message event from the sandbox's generator (the size of the
/// <c>publish</c> benchmark's average): the Avro value and key through the <c>GenericRecord</c> path
/// (the test oracle's <see cref="AvroEventBuilder"/> + <see cref="AvroWireEncoder"/>, the baseline of each pair) and through the
/// direct writer (<see cref="AvroRecordPlan"/>), the version fingerprint, the event id, the CloudEvents headers
/// and the whole envelope a <c>Produce</c> call is handed.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PublishMicroBenchmarks
{
    private const int KeySchemaId = 1;
    private const int ValueSchemaId = 2;
    private const string Topic = "freshchat.messages";
    private readonly AvroEventBuilder _builder = new();
    private readonly AvroWireEncoder _encoder = new();
    private ChangeEvent _change = null!;
    private string _eventId = null!;
    private AvroRecordPlan _keyPlan = null!;
    private AvroRecordPlan _valuePlan = null!;

    [GlobalSetup]
    public void Setup()
    {
        var events = PublishBenchmark.MessageEvents(500).GetAwaiter().GetResult();
        var average = events.Average(e => e.Entity!.Value.GetRawText().Length);
        _change = events.MinBy(e => Math.Abs(e.Entity!.Value.GetRawText().Length - average))!;
        _eventId = _change.EventId(Topic);
        _keyPlan = AvroRecordPlan.TryCompileKey(EmbeddedSchemas.Instance.Key(CaptureCatalogue.MessagesTopic))!;
        _valuePlan = AvroRecordPlan.TryCompileValue(CaptureCatalogue.MessagesTopic, EmbeddedSchemas.Instance.Value(CaptureCatalogue.MessagesTopic))!;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("value")]
    public byte[] ValueGenericRecord() => _encoder.Encode(ValueSchemaId, _builder.BuildValue(_change, Topic, _eventId));

    [Benchmark, BenchmarkCategory("value")]
    public byte[] ValueDirect() => _valuePlan.Encode(ValueSchemaId, _change, Topic, _eventId);

    [Benchmark(Baseline = true), BenchmarkCategory("key")]
    public byte[] KeyGenericRecord() => _encoder.Encode(KeySchemaId, _builder.BuildKey(_change));

    [Benchmark, BenchmarkCategory("key")]
    public byte[] KeyDirect() => _keyPlan.Encode(KeySchemaId, _change, Topic, _eventId);

    [Benchmark, BenchmarkCategory("fingerprint")]
    public string Fingerprint() => Producer.Events.Fingerprint.Compute(_change.Entity!.Value);

    [Benchmark, BenchmarkCategory("event id")]
    public string EventId() => EventIds.Compute(Topic, _change.Key, _change.Fingerprint);

    [Benchmark, BenchmarkCategory("headers")]
    public Headers Headers() => CloudEventHeaders.Create(_change, _eventId);

    [Benchmark(Baseline = true), BenchmarkCategory("envelope")]
    public Message<byte[], byte[]> EnvelopeGenericRecord()
    {
        var eventId = _change.EventId(Topic);
        GenericRecord key = _builder.BuildKey(_change), value = _builder.BuildValue(_change, Topic, eventId);
        return new Message<byte[], byte[]>
        {
            Key = _encoder.Encode(KeySchemaId, key),
            Value = _encoder.Encode(ValueSchemaId, value),
            Headers = CloudEventHeaders.Create(_change, eventId),
        };
    }

    [Benchmark, BenchmarkCategory("envelope")]
    public Message<byte[], byte[]> EnvelopeDirect()
    {
        var eventId = _change.EventId(Topic);
        return new Message<byte[], byte[]>
        {
            Key = _keyPlan.Encode(KeySchemaId, _change, Topic, eventId),
            Value = _valuePlan.Encode(ValueSchemaId, _change, Topic, eventId),
            Headers = CloudEventHeaders.Create(_change, eventId),
        };
    }
}
