using Npgsql;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL cluster (initdb + pg_ctl) on a free loopback port, shared by a test collection.
/// Each test gets its own database from <see cref="CreateDatabaseAsync"/>. initdb refuses to run as root,
/// so as root the cluster is created and run as the <c>postgres</c> system user.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string _binDir = LocateBinDir();
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"fs-pg-{Guid.NewGuid():N}");

    public int Port { get; } = FreePort.Next();

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        var dataDir = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        await RunAsOwnerAsync("chown", "-R", "postgres:postgres", _root);

        var init = await RunPgAsync("initdb", "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync");
        EnsureSuccess("initdb", init);

        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off";
        var start = await RunPgAsync("pg_ctl", "-D", dataDir, "-o", options, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30", "start");
        EnsureSuccess("pg_ctl start", start);
    }

    public async Task DisposeAsync()
    {
        await RunPgAsync("pg_ctl", "-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop");
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a run over it.
        }
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    private static string LocateBinDir()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return Path.GetDirectoryName(ExternalServer.Locate("pg_ctl"))!;
    }

    private Task<(int ExitCode, string Output)> RunPgAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_binDir, tool);
        return Environment.UserName == "root"
            ? ExternalServer.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], CommandTimeout)
            : ExternalServer.RunAsync(path, arguments, CommandTimeout);
    }

    private static async Task RunAsOwnerAsync(params string[] command)
    {
        if (Environment.UserName == "root")
        {
            EnsureSuccess(command[0], await ExternalServer.RunAsync(command[0], command[1..], CommandTimeout));
        }
    }

    private static void EnsureSuccess(string what, (int ExitCode, string Output) result)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit code {result.ExitCode}: {result.Output}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres";
}
