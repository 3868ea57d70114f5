using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// The process's one Redis multiplexer (<c>Redis:Configuration</c>), opened on first use and kept across Redis
/// restarts. Every account's <see cref="RedisCursorStore"/> of a multi-account process shares it: a multiplexer
/// pipelines any number of callers over one socket, so accounts add key prefixes, not connections.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    public RedisConnection(IOptions<RedisOptions> options)
        : this(options.Value.Configuration ?? throw new InvalidOperationException("Redis:Configuration is required."))
    {
    }

    public RedisConnection(string configuration)
    {
        var parsed = ConfigurationOptions.Parse(configuration);
        parsed.AbortOnConnectFail = false;
        Endpoints = string.Join(",", parsed.EndPoints.Select(e => e.ToString()));
        _connection = new Lazy<Task<IConnectionMultiplexer>>(
            async () => await ConnectionMultiplexer.ConnectAsync(parsed),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The endpoints only, for messages: the configuration string may hold a password.</summary>
    public string Endpoints { get; }

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync();
        }
    }
}
