using FreshchatStream.Sandbox.SchemaRegistry;

namespace FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;

/// <summary>
/// One emulator shared by a test class. Tests keep apart by using unique subject names and never change
/// the global configuration here; tests that need their own global state start their own emulator.
/// </summary>
public sealed class SchemaRegistryEmulatorFixture : IAsyncLifetime
{
    public SchemaRegistryEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await SchemaRegistryEmulator.StartAsync();

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}
