using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// One StackExchange.Redis multiplexer per process, opened on first use and surviving Redis restarts. The cursor
/// store and the capture lease share it, so a lease check and a commit travel on the same connection; a process
/// capturing many accounts keeps one connection for all of them. Errors name the endpoints only: the
/// configuration string may hold a password.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;

    public RedisConnection(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration ?? throw new InvalidOperationException("Redis:Configuration is required."));
        options.AbortOnConnectFail = false;
        Endpoints = string.Join(",", options.EndPoints.Select(e => e.ToString()));
        _multiplexer = new Lazy<Task<IConnectionMultiplexer>>(
            async () => await ConnectionMultiplexer.ConnectAsync(options),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The configured endpoints (host:port), safe to log.</summary>
    public string Endpoints { get; }

    public async Task<IConnectionMultiplexer> GetAsync(CancellationToken cancellationToken) =>
        await _multiplexer.Value.WaitAsync(cancellationToken);

    public async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken) => (await GetAsync(cancellationToken)).GetDatabase();

    /// <summary>The server could not be reached or did not answer in time (transient; nothing was applied).</summary>
    public static bool IsUnavailable(Exception e) => e is RedisConnectionException or RedisTimeoutException;

    public CursorStoreUnavailableException Unavailable(string action, Exception e) =>
        new($"Redis at {Endpoints} is unavailable ({e.GetType().Name}); could not {action}. Nothing was committed.", e);

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync();
        }
    }
}
