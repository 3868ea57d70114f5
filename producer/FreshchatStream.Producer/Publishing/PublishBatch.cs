using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing.Avro;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// One unit of publishing. <see cref="AddAsync"/> serializes and hands each record to librdkafka at once
/// (<c>Produce</c> with a delivery handler, no per-record await of the broker); <see cref="CompleteAsync"/>
/// resolves only when every delivery report of the batch — events, tombstones and dead letters — has arrived.
/// After the first failure further events are skipped: the batch cannot be acknowledged anyway.
/// Events of one conversation must be added in <c>created_time</c> order; the idempotent producer keeps it.
/// </summary>
public sealed class PublishBatch : IChangeSinkBatch
{
    private readonly ChangeEventPublisher _publisher;
    private readonly object _gate = new();
    private readonly List<DeliveryFailure> _failures = [];
    private readonly TaskCompletionSource _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending;
    private int _events;
    private readonly System.Collections.Concurrent.ConcurrentQueue<ChangeEvent> _deliveredEvents = new();
    private int _deadLettered;
    private int _tombstones;
    private int _skipped;
    private volatile bool _completing;
    private volatile bool _failed;

    internal PublishBatch(ChangeEventPublisher publisher) => _publisher = publisher;

    public int Count => _events;

    /// <summary>Counts one more record of the batch; false when an earlier failure of the batch means it is skipped, not produced.</summary>
    private bool Admit()
    {
        if (_completing)
        {
            throw new InvalidOperationException("The batch is completing; start a new one with BeginBatch().");
        }

        Interlocked.Increment(ref _events);
        if (_failed)
        {
            Interlocked.Increment(ref _skipped);
            return false;
        }

        return true;
    }

    /// <summary>Serializes and produces one event (and its tombstone after a <c>d</c> on a compacted topic).</summary>
    public async ValueTask AddAsync(ChangeEvent change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!Admit())
        {
            return;
        }

        var topic = _publisher.Topics.For(change.Resource);
        var eventId = change.EventId(topic);
        try
        {
            await _publisher.InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(new DeliveryFailure(topic, change.Key.CanonicalJson, $"Publishing could not start: {DescribeStartFailure(e)}"));
            return;
        }

        byte[] key, value;
        try
        {
            (key, value) = await _publisher.SerializeAsync(change, topic, eventId, cancellationToken);
        }
        catch (Exception e) when (ChangeEventPublisher.IsRecordProblem(e))
        {
            _publisher.Metrics?.DeadLettered(topic, DeadLetterKinds.Unconvertible);
            await ProduceAsync(_publisher.DeadLetters.Topic, () => _publisher.DeadLetters.Publish(change, topic, eventId, e, report => OnReport(report, RecordKind.DeadLetter, change)),
                change.Key.CanonicalJson, cancellationToken);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(new DeliveryFailure(topic, change.Key.CanonicalJson, $"Serialization failed ({e.GetType().Name}): {e.Message}"));
            return;
        }

        Partition partition;
        try
        {
            partition = _publisher.PartitionFor(change, topic);
        }
        catch (KafkaException e)
        {
            Fail(new DeliveryFailure(topic, change.Key.CanonicalJson, $"Partition count unavailable: {e.Error.Reason}", e.Error.IsFatal));
            return;
        }

        var target = new TopicPartition(topic, partition);
        var message = new Message<byte[], byte[]> { Key = key, Value = value, Headers = CloudEventHeaders.Create(change, eventId) };
        var tooLarge = await ProduceAsync(topic, () => _publisher.Producer.Produce(target, message, report => OnReport(report, RecordKind.Event, change)),
            change.Key.CanonicalJson, cancellationToken, deadLetterWhenTooLarge: true);
        if (tooLarge is { } reason)
        {
            // librdkafka refused it locally (over message.max.bytes): no broker will ever take it, so it must not
            // stall the resource. Its key and the reason go to the dead-letter topic; the cursor moves past it.
            var bytes = key.Length + value.Length;
            _publisher.Metrics?.DeadLettered(topic, DeadLetterKinds.TooLarge);
            await ProduceAsync(_publisher.DeadLetters.Topic, () => _publisher.DeadLetters.PublishOversized(change, topic, eventId, bytes,
                $"record of {bytes} bytes exceeds the producer's message.max.bytes ({reason})", report => OnReport(report, RecordKind.DeadLetter, change)),
                change.Key.CanonicalJson, cancellationToken);
            return;
        }

        if (change.IsDelete && change.Resource.IsCompacted)
        {
            var tombstone = new Message<byte[], byte[]> { Key = key, Value = null! };
            await ProduceAsync(topic, () => _publisher.Producer.Produce(target, tombstone, report => OnReport(report, RecordKind.Tombstone, change)),
                change.Key.CanonicalJson, cancellationToken);
        }
    }

    /// <summary>
    /// Dead-letters a listing item that could not become a record (<see cref="Freshchat.RejectedItem"/>): its reason
    /// and raw text, counted like any record of the batch, so the pass commits only once it is persisted.
    /// </summary>
    public async ValueTask AddRejectedAsync(Freshchat.RejectedItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!Admit())
        {
            return;
        }

        var topic = CaptureCatalogue.Topics.Any(r => r.Resource == item.Resource) ? _publisher.Topics.For(item.Resource) : $"{_publisher.Topics.Prefix}.{item.Resource}";
        var key = $"{{\"topic\":\"{topic}\"}}";
        try
        {
            await _publisher.InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(new DeliveryFailure(_publisher.DeadLetters.Topic, key, $"Publishing could not start: {DescribeStartFailure(e)}"));
            return;
        }

        var kind = DeadLetterKinds.OfRejectReason(item.Reason);
        _publisher.Metrics?.DeadLettered(topic, kind);
        await ProduceAsync(_publisher.DeadLetters.Topic, () => _publisher.DeadLetters.PublishRejected(topic, item.Endpoint, item.Reason, item.RawText, kind,
            report => OnReport(report, RecordKind.DeadLetter, null, key)), key, cancellationToken);
    }

    /// <summary>Waits for every delivery report of the batch and summarises them.</summary>
    public async Task<DeliveryOutcome> CompleteAsync(CancellationToken cancellationToken = default)
    {
        _completing = true;
        if (Volatile.Read(ref _pending) == 0)
        {
            _reported.TrySetResult();
        }
        else
        {
            SendLingering();
        }

        // librdkafka reports every record within message.timeout.ms; the margin only guards against a lost callback.
        var bound = _publisher.KafkaOptions.DeliveryTimeout + TimeSpan.FromSeconds(30);
        try
        {
            await _reported.Task.WaitAsync(bound, cancellationToken);
        }
        catch (TimeoutException)
        {
            Fail(new DeliveryFailure("*", "*", $"{Volatile.Read(ref _pending)} delivery report(s) missing after {bound}."));
        }

        lock (_gate)
        {
            ChangeEvent[] delivered = [.. _deliveredEvents];
            return new DeliveryOutcome(_events, delivered.Length, _deadLettered, _tombstones, _skipped, [.. _failures]) { DeliveredEvents = delivered };
        }
    }

    /// <summary>
    /// Nothing more joins the batch once it completes, yet its last records would wait <c>linger.ms</c> in
    /// librdkafka for company before being sent. A flush call with a tiny timeout raises librdkafka's flushing
    /// flag, which makes the broker threads send at once; the delivery reports are still awaited as before.
    /// </summary>
    private void SendLingering()
    {
        try
        {
            _publisher.Producer.Flush(LingerNudge);
        }
        catch (Exception e) when (e is ObjectDisposedException or KafkaException)
        {
            // The reports (or their absence) decide the outcome either way.
        }
    }

    private static readonly TimeSpan LingerNudge = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Runs a synchronous produce call with the record counted as pending. A full local queue drains as the
    /// broker acknowledges, so it is waited out (up to the delivery timeout) instead of failing the batch.
    /// </summary>
    /// <returns>
    /// With <paramref name="deadLetterWhenTooLarge"/>, the reason when librdkafka refused the record as larger than
    /// <c>message.max.bytes</c> (nothing was produced and the batch is not failed); otherwise null.
    /// </returns>
    private async ValueTask<string?> ProduceAsync(string topic, Action produce, string key, CancellationToken cancellationToken, bool deadLetterWhenTooLarge = false)
    {
        var deadline = DateTime.UtcNow + _publisher.KafkaOptions.DeliveryTimeout;
        while (true)
        {
            Interlocked.Increment(ref _pending);
            try
            {
                produce();
                return null;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull && DateTime.UtcNow < deadline)
            {
                Release();
            }
            catch (KafkaException e) when (deadLetterWhenTooLarge && e.Error.Code == ErrorCode.MsgSizeTooLarge)
            {
                Release();
                return $"{e.Error.Code}: {e.Error.Reason}";
            }
            catch (KafkaException e)
            {
                Release();
                Fail(new DeliveryFailure(topic, key, e.Error.Reason, e.Error.IsFatal));
                return null;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private void OnReport(DeliveryReport<byte[], byte[]> report, RecordKind kind, ChangeEvent? change, string? key = null)
    {
        if (report.Error.IsError || report.Status != PersistenceStatus.Persisted)
        {
            var reason = report.Error.IsError ? $"{report.Error.Code}: {report.Error.Reason}" : $"delivery status {report.Status}";
            Fail(new DeliveryFailure(report.Topic, key ?? change?.Key.CanonicalJson ?? "*", kind == RecordKind.DeadLetter ? $"Dead-letter write failed: {reason}" : reason, report.Error.IsFatal));
            _publisher.Metrics?.Failed(report.Topic);
        }
        else
        {
            _publisher.Metrics?.Acknowledged(report.Topic, kind switch { RecordKind.Tombstone => "tombstone", RecordKind.DeadLetter => "dead_letter", _ => "event" });
            switch (kind)
            {
                case RecordKind.Event when change is not null: _deliveredEvents.Enqueue(change); break;
                case RecordKind.DeadLetter: Interlocked.Increment(ref _deadLettered); break;
                case RecordKind.Tombstone: Interlocked.Increment(ref _tombstones); break;
            }
        }

        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && _completing)
        {
            _reported.TrySetResult();
        }
    }

    // Initialization talks to two services; the reason names the one that failed and the key pointing at it.
    private static string DescribeStartFailure(Exception e) => e switch
    {
        KafkaException k => $"creating topics failed ({k.Error.Code}: {k.Error.Reason}; check Kafka:BootstrapServers)",
        SchemaPlanException => e.Message,
        _ => $"registering schemas failed ({e.Message}; check SchemaRegistry:Url)",
    };

    private void Fail(DeliveryFailure failure)
    {
        _failed = true;
        lock (_gate)
        {
            _failures.Add(failure);
        }

        Log.DeliveryFailed(_publisher.Logger, failure.Topic, failure.Key, failure.Reason);
    }

    private enum RecordKind
    {
        Event,
        Tombstone,
        DeadLetter,
    }
}
