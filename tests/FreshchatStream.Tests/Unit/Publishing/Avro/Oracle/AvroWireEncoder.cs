using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace FreshchatStream.Tests.Unit.Publishing.Avro.Oracle;

/// <summary>
/// The test oracle's wire encoder: writes <see cref="AvroEventBuilder"/>'s records in the Schema Registry wire format
/// (magic byte 0, the schema id as 4 big-endian bytes, then Avro's own <see cref="GenericDatumWriter{T}"/> encoding),
/// which is what Confluent's <c>AvroSerializer</c> writes for a known id. <c>AvroRecordPlanTests</c> require the
/// producer's direct writer to produce exactly these bytes.
/// </summary>
internal sealed class AvroWireEncoder
{
    private const byte MagicByte = 0;
    private readonly ConcurrentDictionary<Schema, GenericDatumWriter<GenericRecord>> _writers = new(ReferenceEqualityComparer.Instance);

    public byte[] Encode(int schemaId, GenericRecord record)
    {
        var writer = _writers.GetOrAdd(record.Schema, schema => new GenericDatumWriter<GenericRecord>(schema));
        using var stream = new MemoryStream(512);
        Span<byte> header = stackalloc byte[5];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], schemaId);
        stream.Write(header);
        writer.Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
