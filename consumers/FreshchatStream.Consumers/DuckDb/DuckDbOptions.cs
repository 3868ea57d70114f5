using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Consumers.DuckDb;

/// <summary>The DuckDB lander's database, bound from <c>DuckDb:*</c> (<c>--database</c> overrides it).</summary>
public sealed class DuckDbOptions
{
    public const string Section = "DuckDb";

    /// <summary>Path of the DuckDB file, created when missing (required).</summary>
    public string? Database { get; set; }

    /// <summary>Binds and validates the section; the failure names the key.</summary>
    public static DuckDbOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<DuckDbOptions>() ?? new DuckDbOptions();
        return string.IsNullOrWhiteSpace(options.Database)
            ? throw new OptionsValidationException(Section, typeof(DuckDbOptions), ["DuckDb:Database (--database) is required: the path of the DuckDB file."])
            : options;
    }
}
