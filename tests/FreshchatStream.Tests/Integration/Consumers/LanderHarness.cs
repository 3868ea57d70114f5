using System.Data.Common;
using DuckDB.NET.Data;
using FreshchatStream.Consumers.Commands;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;
using Npgsql;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>Runs the lander command line in-process against a scenario's topics and queries what it landed.</summary>
internal static class LanderHarness
{
    public static async Task<(int ExitCode, string Output, string Error)> LandAsync(CaptureStackFixture stack, string prefix, string group, params string[] target)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = [.. target, "--bootstrap-servers", stack.Kafka.BootstrapServers, "--schema-registry", stack.Registry.Url.ToString(),
            "--prefix", prefix, "--group", group, "--once", "--session-timeout-ms", "6000", "--quiet"];
        var code = await LanderCli.RunAsync(args, output, error).WaitAsync(TimeSpan.FromSeconds(120));
        return (code, output.ToString(), error.ToString());
    }

    public static async Task<(int ExitCode, string Output, string Error)> ReplayAsync(CaptureStackFixture stack, string prefix, string group, string? topics = null, params string[] to)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FreshchatStream.Consumers.Commands.LanderCli.RunAsync(
            ["replay", "--group", group, "--topics", topics ?? string.Join(",", FreshchatStream.Consumers.Landing.LandedTopics.All), .. to.Length == 0 ? ["--to-earliest"] : to,
             "--bootstrap-servers", stack.Kafka.BootstrapServers, "--prefix", prefix, "--session-timeout-ms", "6000"], output, error).WaitAsync(TimeSpan.FromSeconds(120));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Starts the built <c>freshchat-landers</c> as a separate process (not <c>--once</c>: it runs until signalled).</summary>
    public static System.Diagnostics.Process StartChild(CaptureStackFixture stack, string prefix, string group, params string[] target)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "freshchat-landers.dll") }.Concat(target).Concat(
                     ["--bootstrap-servers", stack.Kafka.BootstrapServers, "--schema-registry", stack.Registry.Url.ToString(), "--prefix", prefix, "--group", group, "--session-timeout-ms", "6000"]))
        {
            info.ArgumentList.Add(arg);
        }

        var child = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("could not start freshchat-landers");
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    public static string NewGroup() => MockKafkaFixture.NewGroupId("lander");

    public static async Task<T> ScalarAsync<T>(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<string>> ColumnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "<null>" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    public static async Task<DuckDBConnection> OpenDuckDbAsync(string path)
    {
        var connection = new DuckDBConnection($"Data Source={path}");
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<NpgsqlConnection> OpenPostgresAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
