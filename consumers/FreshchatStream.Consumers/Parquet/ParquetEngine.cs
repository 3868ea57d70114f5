using DuckDB.NET.Data;

namespace FreshchatStream.Consumers.Parquet;

/// <summary>
/// The in-memory DuckDB that writes and reads the lake's Parquet files. Parquet support is statically linked into
/// DuckDB.NET's native library; automatic installing and loading of extensions is switched off, so the lander never
/// reaches for the network (air-gapped hosts, no surprise downloads) and fails loudly if something would need one.
/// </summary>
internal static class ParquetEngine
{
    public static async Task<DuckDBConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, "SET autoinstall_known_extensions = false", cancellationToken);
            await ExecuteAsync(connection, "SET autoload_known_extensions = false", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> CountAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
