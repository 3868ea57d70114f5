using System.Text;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// The murmur2 hash of Kafka's Java client (<c>Utils.murmur2</c>, seed <c>0x9747b28c</c>) and the partition its
/// default partitioner picks for a key (<c>toPositive(hash) % partitions</c>). Used to place messages by
/// <c>conversation_id</c> exactly where a Java producer with a plain string key would.
/// </summary>
public static class KafkaMurmur2
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    public static int Hash(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var offset = i * 4;
            var k = data[offset] | ((uint)data[offset + 1] << 8) | ((uint)data[offset + 2] << 16) | ((uint)data[offset + 3] << 24);
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                h ^= (uint)data[tail + 1] << 8;
                h ^= data[tail];
                h *= M;
                break;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                h ^= data[tail];
                h *= M;
                break;
            case 1:
                h ^= data[tail];
                h *= M;
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return unchecked((int)h);
    }

    public static int Partition(ReadOnlySpan<byte> key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (Hash(key) & 0x7fffffff) % partitions;
    }

    /// <summary>The partition of a string key, hashed as its UTF-8 bytes (Java's <c>StringSerializer</c>).</summary>
    public static int Partition(string key, int partitions) => Partition(Encoding.UTF8.GetBytes(key), partitions);
}
