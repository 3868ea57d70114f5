namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>How <see cref="SchemaRegistryEmulator"/> listens and which rules it starts with.</summary>
public sealed record SchemaRegistryEmulatorOptions
{
    /// <summary>IP address to bind; loopback by default. "localhost" is accepted as loopback.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="SchemaRegistryEmulator.Url"/>).</summary>
    public int Port { get; init; }

    /// <summary>"user:password" that clients must send as HTTP basic auth; null serves everyone.</summary>
    public string? BasicAuthUserInfo { get; init; }

    /// <summary>Global compatibility level at start (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE).</summary>
    public string DefaultCompatibility { get; init; } = "BACKWARD";
}
