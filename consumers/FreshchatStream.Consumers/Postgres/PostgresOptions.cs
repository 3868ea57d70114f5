using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FreshchatStream.Consumers.Postgres;

/// <summary>
/// The PostgreSQL lander's database, bound from <c>Postgres:*</c> (<c>--connection</c> overrides it). Pass the
/// password as <c>Postgres__ConnectionString</c> in the environment, or in a <c>PGPASSFILE</c>, not on the command line.
/// </summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    /// <summary>Npgsql connection string, e.g. <c>Host=db;Username=freshchat;Password=…;Database=freshchat</c> (required, secret).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Binds and validates the section; failures name the key and never repeat the connection string.</summary>
    public static PostgresOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<PostgresOptions>() ?? new PostgresOptions();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new OptionsValidationException(Section, typeof(PostgresOptions), ["Postgres:ConnectionString (--connection) is required."]);
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            throw new OptionsValidationException(Section, typeof(PostgresOptions), ["Postgres:ConnectionString (--connection) is not a valid Npgsql connection string (Host=…;Username=…;Database=…)."]);
        }

        return options;
    }
}
