using FreshchatStream.Producer.Publishing.Kafka;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// Which partition of <c>{TopicPrefix}.capture-assignments</c> stands for an account: <c>murmur2(name) mod
/// partitions</c>, with the positive murmur2 of Kafka's default partitioner, so the mapping is the one a Java
/// client producing the account name as a key would pick, and the group coordinator's assignment of partitions
/// to instances decides which instance captures which accounts.
/// </summary>
public static class AccountPartitions
{
    public static int Of(string account, int partitions) => KafkaMurmur2.Partition(account, partitions);

    /// <summary>The accounts carried by <paramref name="assigned"/>, in configuration order.</summary>
    public static IReadOnlyList<ConfiguredAccount> Carried(IEnumerable<ConfiguredAccount> accounts, IReadOnlySet<int> assigned) =>
        [.. accounts.Where(a => assigned.Contains(a.Partition))];
}
