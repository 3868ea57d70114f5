using System.Diagnostics;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// A real redis-server on a free loopback port, shared by a test collection. Tests isolate themselves with
/// <see cref="NewKeyPrefix"/>; outage tests stop and restart the same server on the same port.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? _server;
    private readonly string _binary = ExternalServer.Locate("redis-server", "/usr/bin/redis-server");

    public int Port { get; } = FreePort.Next();

    /// <summary>Where <see cref="StopServer"/> with <c>keepData</c> saves the dataset for the next start to load.</summary>
    private string DataDirectory { get; } = Directory.CreateTempSubdirectory("redis-fixture-").FullName;

    /// <summary>StackExchange.Redis configuration string, as a user would put in <c>Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public static string NewKeyPrefix() => $"test-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        await StartServerAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        StopServer();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Starts the server (again) on <see cref="Port"/>; data survives only a <c>StopServer(keepData: true)</c>.</summary>
    public async Task StartServerAsync()
    {
        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                     "--dir", DataDirectory, "--dbfilename", "dump.rdb" })
        {
            info.ArgumentList.Add(argument);
        }

        _server = Process.Start(info) ?? throw new InvalidOperationException("Could not start redis-server.");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"redis-server did not answer on port {Port} within 10 s.");
    }

    /// <summary>
    /// Kills the server, as a crash or an outage would. With <paramref name="keepData"/> the dataset is saved
    /// first and the next <see cref="StartServerAsync"/> loads it (a restart with persistence); otherwise the
    /// next start is empty (a restart without persistence, or a failover to an empty replica).
    /// </summary>
    public void StopServer(bool keepData = false)
    {
        var dump = Path.Combine(DataDirectory, "dump.rdb");
        if (keepData && _server is { HasExited: false })
        {
            using var saver = ConnectionMultiplexer.Connect($"127.0.0.1:{Port},allowAdmin=true,connectTimeout=2000,syncTimeout=10000");
            saver.GetServer($"127.0.0.1:{Port}").Execute("SAVE");
        }
        else
        {
            File.Delete(dump);
        }

        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(5000);
        }

        _server?.Dispose();
        _server = null;
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
