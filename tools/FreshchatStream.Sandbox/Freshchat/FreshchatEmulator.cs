using System.Net;
using FreshchatStream.Sandbox.Freshchat.Endpoints;
using FreshchatStream.Sandbox.Freshchat.Faults;
using FreshchatStream.Sandbox.Freshchat.Reports;
using FreshchatStream.Sandbox.Freshchat.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// An in-process HTTP emulator of the Freshchat REST API v2 (Kestrel on loopback, port 0 by default) serving a
/// deterministic generated account, with knobs for the API's unconfirmed behaviours, fault injection and a
/// mutation API under /_sandbox/. Used directly by integration tests and hosted by the sandbox CLI.
/// </summary>
public sealed class FreshchatEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FreshchatEmulator(WebApplication app, FreshchatDataStore data, FreshchatEmulatorOptions options, RequestCounter requests, WebhookSender webhooks, Uri root)
    {
        _app = app;
        Data = data;
        Webhooks = webhooks;
        Behaviour = options.Behaviour;
        Faults = options.Faults;
        Requests = requests;
        ApiKey = options.ApiKey;
        Root = root;
        BaseUrl = new Uri(root, "/v2");
    }

    /// <summary>http://127.0.0.1:{port}/v2 (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>http://127.0.0.1:{port}</summary>
    public Uri Root { get; }

    public string ApiKey { get; }
    public FreshchatDataStore Data { get; }
    public EmulatorBehaviour Behaviour { get; }
    public EmulatorFaults Faults { get; }
    public RequestCounter Requests { get; }

    /// <summary>The webhook sender: public key, target URL (null = off), retry settings and delivery counters.</summary>
    public WebhookSender Webhooks { get; }

    /// <summary>
    /// Applies the reading profile (<see cref="FreshchatEmulatorOptions.Profile"/>, else <c>FRESHCHAT_EMULATOR_PROFILE</c>) and then
    /// <see cref="FreshchatEmulatorOptions.BehaviourSettings"/> to the behaviour, builds the data store, binds Kestrel and returns once the
    /// emulator accepts connections.
    /// </summary>
    public static async Task<FreshchatEmulator> StartAsync(FreshchatEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        EmulatorProfiles.Apply(options.Profile ?? EmulatorProfiles.FromEnvironment(), options.Behaviour);
        foreach (var (name, value) in options.BehaviourSettings)
        {
            if (SettingsReflection.Set(options.Behaviour, name, value) is { } error) throw new ArgumentException(error, nameof(options));
        }

        var time = options.TimeProvider ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FreshchatEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.WebHost.ConfigureKestrel(k => k.Listen(ParseAddress(options.ListenAddress), options.Port));

        var app = builder.Build();
        var data = new FreshchatDataStore(options, options.Behaviour);
        var webhooks = new WebhookSender(new WebhookSigner())
        {
            TargetUrl = options.WebhookUrl, MaxRetries = options.WebhookMaxRetries, RetryDelay = options.WebhookRetryDelay,
        };
        data.ConversationChanged += webhooks.Enqueue;
        var requests = new RequestCounter();
        var reports = new ReportJobStore(data, options.Faults, time);
        var outbound = new OutboundMessageStore(data.World, time);
        var gate = new ApiGate(options.ApiKey, options.Behaviour, options.Faults, requests, new RateLimitWindow(time),
            new Random(options.Seed), time, app.Lifetime.ApplicationStopping);

        app.UseRouting();
        app.Use((context, next) => gate.InvokeAsync(context, next));
        var v2 = app.MapGroup("/v2");
        UsersEndpoints.Map(v2, data, options.Behaviour);
        ConversationsEndpoints.Map(v2, data, options.Behaviour);
        AgentsEndpoints.Map(v2, data, options.Behaviour);
        CatalogueEndpoints.Map(v2, data, options.Behaviour);
        OutboundEndpoints.Map(v2, outbound, options.Behaviour);
        ReportsEndpoints.Map(app, v2, reports, options.Behaviour);
        SandboxEndpoints.Map(app.MapGroup("/_sandbox"), data, options.Behaviour, options.Faults, requests, webhooks);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await webhooks.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = options.ListenAddress is "0.0.0.0" or "::" or "[::]" or "*" ? "127.0.0.1" : options.ListenAddress;
        var root = new Uri($"http://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}");
        reports.DownloadRoot = root;
        return new FreshchatEmulator(app, data, options, requests, webhooks, root);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            await Webhooks.DisposeAsync();
        }
    }

    private static IPAddress ParseAddress(string address) => address switch
    {
        "localhost" => IPAddress.Loopback,
        "*" => IPAddress.Any,
        _ => IPAddress.Parse(address.Trim('[', ']')),
    };
}
