using System.Diagnostics;
using FreshchatStream.Sandbox;
using StackExchange.Redis;

namespace FreshchatStream.Bench;

/// <summary>
/// The Redis the producer keeps its state in: the one given with <c>--redis CONFIGURATION</c>, or a
/// <c>redis-server</c> (Debian package) started on a free loopback port for the run and stopped after it.
/// </summary>
internal sealed class BenchRedis : IDisposable
{
    private readonly Process? _server;

    private BenchRedis(string configuration, Process? server)
    {
        Configuration = configuration;
        _server = server;
    }

    public string Configuration { get; }

    public static async Task<BenchRedis> StartAsync(string? configuration)
    {
        if (configuration is not null)
        {
            return new BenchRedis(configuration, null);
        }

        var port = LoopbackPort.Next();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(argument);
        }

        var server = Process.Start(info) ?? throw new InvalidOperationException("Could not start redis-server (apt-get install redis-server, or pass --redis).");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var redis = new BenchRedis($"127.0.0.1:{port},abortConnect=false", server);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return redis;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100);
            }
        }

        redis.Dispose();
        throw new TimeoutException($"redis-server did not answer on port {port}.");
    }

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server?.Dispose();
    }
}
