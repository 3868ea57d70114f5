using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// A reusable buffer that one Schema Registry wire-format record is written into, with the Avro binary primitives
/// the shipped schemas use (zig-zag varint <c>long</c>, <c>boolean</c>, length-prefixed UTF-8 <c>string</c>).
/// One instance per thread (<see cref="ForCurrentThread"/>): encoding never awaits, so a thread's buffer is never
/// shared, and the record's only allocation is the exact-size array Kafka is handed.
/// </summary>
internal sealed class AvroBinaryWriter
{
    private const byte MagicByte = 0;

    // A buffer that grew for one huge record is not kept: the next record would pin it for the thread's lifetime.
    private const int RetainedCapacity = 64 * 1024;

    private static readonly JsonWriterOptions CompactWriter = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static AvroBinaryWriter? _current;

    private byte[] _buffer = new byte[4096];
    private int _length;
    private ArrayBufferWriter<byte>? _jsonScratch;
    private Utf8JsonWriter? _json;

    public static AvroBinaryWriter ForCurrentThread()
    {
        var writer = _current ??= new AvroBinaryWriter();
        if (writer._buffer.Length > RetainedCapacity)
        {
            writer._buffer = new byte[4096];
        }

        writer._length = 0;
        return writer;
    }

    /// <summary>Magic byte 0 and the schema id (4 bytes, big-endian), as Confluent's serializers write them.</summary>
    public void WriteWireHeader(int schemaId)
    {
        var span = Reserve(5);
        span[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], schemaId);
        _length += 5;
    }

    public void WriteLong(long value)
    {
        var span = Reserve(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (n > 0x7F)
        {
            span[i++] = (byte)((n & 0x7F) | 0x80);
            n >>= 7;
        }

        span[i++] = (byte)n;
        _length += i;
    }

    /// <summary>A union branch index is an Avro <c>long</c>.</summary>
    public void WriteUnionIndex(int index) => WriteLong(index);

    public void WriteBoolean(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        _length++;
    }

    public void WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteLong(byteCount);
        _length += Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>Text that is already valid UTF-8: written as is, which is what encoding its decoded string gives.</summary>
    public void WriteUtf8String(ReadOnlySpan<byte> utf8)
    {
        WriteLong(utf8.Length);
        utf8.CopyTo(Reserve(utf8.Length));
        _length += utf8.Length;
    }

    /// <summary>
    /// A JSON string's value. Without escapes its raw bytes are the value; with escapes (or bytes that are not
    /// valid UTF-8) the decoded string is encoded, exactly as Avro's own generic writer does.
    /// </summary>
    public void WriteJsonString(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw[1..^1];
        if (content.IndexOf((byte)'\\') < 0 && Utf8.IsValid(content))
        {
            WriteUtf8String(content);
        }
        else
        {
            WriteString(value.GetString()!);
        }
    }

    /// <summary>The raw text of a JSON value (a number's digits, or <c>raw_json</c>).</summary>
    public void WriteJsonRawText(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (Utf8.IsValid(raw))
        {
            WriteUtf8String(raw);
        }
        else
        {
            WriteString(value.GetRawText());
        }
    }

    /// <summary>Compact JSON of an object or array, written as <see cref="JsonAvroConverter.CompactJson"/> writes it.</summary>
    public void WriteCompactJson(JsonElement value)
    {
        var scratch = _jsonScratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        if (_json is null)
        {
            _json = new Utf8JsonWriter(scratch, CompactWriter);
        }
        else
        {
            _json.Reset(scratch);
        }

        value.WriteTo(_json);
        _json.Flush();
        if (Utf8.IsValid(scratch.WrittenSpan))
        {
            WriteUtf8String(scratch.WrittenSpan);
        }
        else
        {
            WriteString(Encoding.UTF8.GetString(scratch.WrittenSpan));
        }

        if (scratch.Capacity > RetainedCapacity)
        {
            _jsonScratch = null;
            _json.Dispose();
            _json = null;
        }
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
        }

        return _buffer.AsSpan(_length);
    }
}
