using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// One read-only Freshchat emulator (150 users, seed 42) shared by a test collection. Tests that mutate data,
/// behaviour or faults start their own emulator instead, so they stay parallel-safe.
/// </summary>
public sealed class FreshchatEmulatorFixture : IAsyncLifetime
{
    public static readonly FreshchatEmulatorOptions Options = new() { Users = 150, ConversationsPerUser = 0.4, MessagesPerConversation = 12, Seed = 42 };

    public FreshchatEmulator Emulator { get; private set; } = null!;

    // The emulator's own tests check its documented defaults, so they pin the default reading profile.
    public async Task InitializeAsync() => Emulator = await FreshchatEmulator.StartAsync(Options with { Behaviour = new(), Faults = new(), Profile = EmulatorProfile.Default });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FreshchatEmulatorCollection : ICollectionFixture<FreshchatEmulatorFixture>
{
    public const string Name = "Freshchat emulator (shared, read-only)";
}
