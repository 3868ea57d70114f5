using System.Text;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;

namespace FreshchatStream.Tests.Unit.Publishing.Kafka;

public sealed class KafkaMurmur2Tests
{
    // Vectors of Kafka's own UtilsTest.testMurmur2 (org.apache.kafka.common.utils).
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Hash_KafkaJavaVectors_Match(string key, int expected)
    {
        Assert.Equal(expected, KafkaMurmur2.Hash(Encoding.UTF8.GetBytes(key)));
    }

    [Theory]
    [InlineData("21", 3, (-973932308 & 0x7fffffff) % 3)]
    [InlineData("foobar", 12, (-790332482 & 0x7fffffff) % 12)]
    [InlineData("abc", 7, 479470107 % 7)]
    public void Partition_JavaDefaultPartitioner_TakesPositiveHashModuloPartitions(string key, int partitions, int expected)
    {
        Assert.Equal(expected, KafkaMurmur2.Partition(key, partitions));
    }

    [Fact]
    public void Partition_EmptyAndMultiByteKeys_StayInRange()
    {
        foreach (var key in new[] { "", "é", "日本語", "3f2c9a1e-0000-4000-8000-000000000001" })
        {
            Assert.InRange(KafkaMurmur2.Partition(key, 5), 0, 4);
        }
    }

    [Fact]
    public void Partition_ZeroPartitions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KafkaMurmur2.Partition("x", 0));
    }
}
