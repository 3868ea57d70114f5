using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Tests.Integration.Freshchat;

/// <summary>
/// The client exactly as the producer registers it (<c>AddFreshchatClient</c>) against its own Freshchat emulator
/// over real HTTP on loopback, with every log line at every level collected.
/// </summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public static readonly FreshchatEmulatorOptions Account = new()
    {
        Users = 120, ConversationsPerUser = 0.5, MessagesPerConversation = 30, Agents = 7, Groups = 3, Channels = 2, Seed = 11,
        ApiKey = "integration-secret-key-42",
    };

    private readonly IHost _host;

    private ClientHarness(FreshchatEmulator emulator, IReadOnlyDictionary<string, string?> settings)
    {
        Emulator = emulator;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Freshchat:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Freshchat:ApiKey"] = emulator.ApiKey,
            ["Freshchat:RequestsPerMinute"] = "100000",
            ["Freshchat:RetryBaseDelay"] = "00:00:00.050",
        }.Concat(settings).GroupBy(p => p.Key).Select(g => g.Last()));
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        builder.AddFreshchatClient();
        _host = builder.Build();
        Client = _host.Services.GetRequiredService<IFreshchatClient>();
        Logs = _host.Services.GetFakeLogCollector();
        Metrics = _host.Services.GetRequiredService<FreshchatMetrics>();
    }

    public FreshchatEmulator Emulator { get; }

    public IFreshchatClient Client { get; }

    public FakeLogCollector Logs { get; }

    public FreshchatMetrics Metrics { get; }

    public string ApiKey => Emulator.ApiKey;

    /// <summary>
    /// Pinned to the default reading profile: these tests count requests per reading, and each reading-specific
    /// test sets its switch explicitly (FRESHCHAT_EMULATOR_PROFILE=other exercises the capture suites instead).
    /// </summary>
    public static async Task<ClientHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, FreshchatEmulatorOptions? options = null) =>
        new(await FreshchatEmulator.StartAsync((options ?? Account) with { Behaviour = new(), Faults = new(), Profile = EmulatorProfile.Default }), settings ?? new Dictionary<string, string?>());

    /// <summary>Requests the emulator counted since <paramref name="before"/> (a <see cref="RequestCounter.Snapshot"/>), by endpoint.</summary>
    public Dictionary<string, long> Since(IReadOnlyDictionary<string, long> before) =>
        Emulator.Requests.Snapshot().Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Count > 0).ToDictionary(p => p.Key, p => p.Count);

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Emulator.DisposeAsync();
    }
}
