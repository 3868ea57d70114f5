using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// One account of a multi-account deployment (<c>Accounts:{Name}:*</c>): its name, the partition of
/// <c>{TopicPrefix}.capture-assignments</c> that carries it, and the configuration its capture runs with — the
/// root configuration with the account's own keys laid over it and the per-account namespaces filled in.
/// </summary>
public sealed record ConfiguredAccount(string Name, int Partition, IConfiguration Configuration)
{
    /// <summary>The Redis key prefix of the account's state (default <c>{Redis:KeyPrefix}:{Name}</c>).</summary>
    public string KeyPrefix => Configuration["Redis:KeyPrefix"]!;

    /// <summary>The topic prefix the account publishes under (the shared <c>Kafka:TopicPrefix</c> unless isolated).</summary>
    public string TopicPrefix => Configuration["Kafka:TopicPrefix"] ?? "freshchat";
}
