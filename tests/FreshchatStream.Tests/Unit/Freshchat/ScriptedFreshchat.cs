using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Freshchat;

/// <summary>
/// The real client and pipeline (<c>AddFreshchatClient</c>) over a scripted in-memory handler and a fake clock —
/// the only place a fake HTTP handler is used: to prove timing (Retry-After, breaker) without real waiting.
/// </summary>
internal sealed class ScriptedFreshchat : IDisposable
{
    public const string ApiKey = "unit-test-secret-key";
    private readonly IHost _host;

    public ScriptedFreshchat(Func<HttpRequestMessage, int, HttpResponseMessage> respond, params (string Key, string Value)[] settings)
    {
        Handler = new ScriptedHandler(respond);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var configuration = new Dictionary<string, string?>
        {
            ["Freshchat:BaseUrl"] = "https://acme.freshchat.com/v2",
            ["Freshchat:ApiKey"] = ApiKey,
            ["Freshchat:RequestsPerMinute"] = "100000",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        builder.AddFreshchatClient();
        builder.Services.AddHttpClient<FreshchatTransport>().ConfigurePrimaryHttpMessageHandler(() => Handler);
        _host = builder.Build();
        Client = _host.Services.GetRequiredService<IFreshchatClient>();
        Logs = _host.Services.GetFakeLogCollector();
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>Every log line of the client, at every level.</summary>
    public FakeLogCollector Logs { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ScriptedHandler Handler { get; }

    public IFreshchatClient Client { get; }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Account() => Json(HttpStatusCode.OK, """{"account_id":1,"app_id":"a"}""");

    /// <summary>Advances the fake clock in small steps until <paramref name="task"/> completes or <paramref name="limit"/> of fake time passed.</summary>
    public async Task<TimeSpan> AdvanceUntilDoneAsync(Task task, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced < limit)
        {
            await Task.Delay(5);
            Clock.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
        }

        await Task.WhenAny(task, Task.Delay(2000));
        return advanced;
    }

    public void Dispose() => _host.Dispose();

    /// <summary>Answers with the script; counts and records every attempt.</summary>
    internal sealed class ScriptedHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        private int _calls;

        public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            Requests.Enqueue(request);
            var response = respond(request, call);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
