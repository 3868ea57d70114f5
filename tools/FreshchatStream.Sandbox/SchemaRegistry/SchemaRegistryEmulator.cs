using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>
/// An in-process stand-in for Confluent Schema Registry: the subset of its REST API that Confluent's
/// .NET and Java serializers and Kafka Connect's AvroConverter call, with Avro compatibility checking,
/// served by Kestrel on loopback. Tests and the sandbox CLI start one per run; state lives in memory.
/// </summary>
public sealed class SchemaRegistryEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SchemaStore _store;

    private SchemaRegistryEmulator(WebApplication app, SchemaStore store, Uri url)
    {
        _app = app;
        _store = store;
        Url = url;
    }

    /// <summary>Base URL to give clients, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Subjects that have at least one version not deleted, in ordinal order.</summary>
    public IReadOnlyList<string> Subjects => _store.ListSubjects(includeDeleted: false);

    public static async Task<SchemaRegistryEmulator> StartAsync(SchemaRegistryEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SchemaRegistryEmulatorOptions();
        if (!CompatibilityLevels.TryParse(options.DefaultCompatibility, out var defaultLevel))
        {
            throw new ArgumentException($"DefaultCompatibility '{options.DefaultCompatibility}' is not a compatibility level.", nameof(options));
        }

        var listenAddress = ParseListenAddress(options.ListenAddress);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Do not pick up appsettings.json or launch settings of whichever process hosts the emulator.
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(SchemaRegistryEmulator).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(listenAddress, options.Port));

        var store = new SchemaStore(defaultLevel);
        var app = builder.Build();
        app.Use(ErrorsAndAuthentication(options.BasicAuthUserInfo));
        SchemaRegistryEndpoints.Map(app, store);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        var host = listenAddress.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString()
            : listenAddress.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback.ToString()
            : listenAddress.ToString();
        return new SchemaRegistryEmulator(app, store, new UriBuilder(Uri.UriSchemeHttp, host, bound.Port).Uri);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IPAddress ParseListenAddress(string address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(address, out var ip) ? ip
        : throw new ArgumentException($"ListenAddress '{address}' is not an IP address.", nameof(address));

    /// <summary>
    /// Outermost middleware: enforces basic auth when configured and turns refusals, unknown routes and
    /// unreadable bodies into Confluent's error body, which the clients parse for <c>error_code</c>.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> ErrorsAndAuthentication(string? basicAuthUserInfo)
    {
        var expected = basicAuthUserInfo is null ? null : Encoding.UTF8.GetBytes(basicAuthUserInfo);
        return async (context, next) =>
        {
            if (expected is not null && !IsAuthorized(context.Request, expected))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"SchemaRegistry\"";
                await RegistryJson.WriteErrorAsync(context.Response, HttpStatusCode.Unauthorized, 401, "Unauthorized").ConfigureAwait(false);
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (RegistryException ex)
            {
                await RegistryJson.WriteErrorAsync(context.Response, ex.Status, ex.ErrorCode, ex.Message).ConfigureAwait(false);
                return;
            }

            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405)
            {
                var status = (HttpStatusCode)context.Response.StatusCode;
                await RegistryJson.WriteErrorAsync(context.Response, status, (int)status, $"HTTP {(int)status} {(status == HttpStatusCode.NotFound ? "Not Found" : "Method Not Allowed")}").ConfigureAwait(false);
            }
        };
    }

    private static bool IsAuthorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(header[scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }
}
