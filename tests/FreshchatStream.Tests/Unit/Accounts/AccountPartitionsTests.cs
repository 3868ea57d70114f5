using FreshchatStream.Producer.Accounts;
using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Tests.Unit.Accounts;

[Trait("Issue", "#19")]
public sealed class AccountPartitionsTests
{
    // Kafka's UtilsTest.testMurmur2 vectors, through the Java default partitioner's toPositive(hash) % partitions.
    [Theory]
    [InlineData("21", 12, (-973932308 & 0x7fffffff) % 12)]
    [InlineData("foobar", 12, (-790332482 & 0x7fffffff) % 12)]
    [InlineData("abc", 12, 479470107 % 12)]
    [InlineData("abc", 1, 0)]
    public void Of_IsPositiveMurmur2ModuloPartitions(string account, int partitions, int expected)
    {
        Assert.Equal(expected, AccountPartitions.Of(account, partitions));
    }

    [Fact]
    public void Carried_KeepsTheAccountsOfTheAssignedPartitions()
    {
        var accounts = Enumerable.Range(0, 30).Select(i => $"account-{i}")
            .Select(n => new ConfiguredAccount(n, AccountPartitions.Of(n, 12), new ConfigurationBuilder().Build())).ToList();

        var carried = AccountPartitions.Carried(accounts, new HashSet<int> { 0, 5, 11 });

        Assert.All(carried, a => Assert.Contains(a.Partition, new[] { 0, 5, 11 }));
        Assert.Equal(accounts.Count(a => a.Partition is 0 or 5 or 11), carried.Count);
        // Every account lands on exactly one partition, so disjoint assignments never capture an account twice.
        Assert.Equal(accounts.Count, Enumerable.Range(0, 12).Sum(p => AccountPartitions.Carried(accounts, new HashSet<int> { p }).Count));
    }
}
