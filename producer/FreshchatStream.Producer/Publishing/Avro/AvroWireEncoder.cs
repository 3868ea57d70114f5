using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// Writes records in the Schema Registry wire format — magic byte 0, the schema id (4 bytes, big-endian), then the
/// Avro binary encoding — for schemas whose ids the producer registered itself at start. It does what Confluent's
/// <c>AvroSerializer</c> does for a known id without that serializer's per-record registry-cache lookups (which hash
/// the whole writer schema twice per record): one cached <see cref="GenericDatumWriter{T}"/> per schema.
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
