using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Sandbox;

/// <summary>What <see cref="SandboxStack"/> starts: the two emulators' own options and the mock cluster's shape.</summary>
public sealed record SandboxStackOptions
{
    public FreshchatEmulatorOptions Freshchat { get; init; } = new();

    public SchemaRegistryEmulatorOptions SchemaRegistry { get; init; } = new();

    /// <summary>Brokers of the mock Kafka cluster (ids 1..N).</summary>
    public int KafkaBrokers { get; init; } = 1;

    /// <summary>
    /// Topics to create up front with <see cref="TopicPartitions"/> partitions. The mock cluster ignores the Admin
    /// API, so this is the way to give topics a known partition count; others are auto-created on first use.
    /// </summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    public int TopicPartitions { get; init; } = 3;
}
