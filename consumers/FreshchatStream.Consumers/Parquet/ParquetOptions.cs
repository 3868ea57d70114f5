using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Consumers.Parquet;

/// <summary>The Parquet lake's root folder, bound from <c>Parquet:*</c> (<c>--root</c> overrides it).</summary>
public sealed class ParquetOptions
{
    public const string Section = "Parquet";

    /// <summary>Folder holding one sub-folder per table (a local path or a mounted bucket; required).</summary>
    public string? Root { get; set; }

    /// <summary>Binds and validates the section; the failure names the key.</summary>
    public static ParquetOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ParquetOptions>() ?? new ParquetOptions();
        return string.IsNullOrWhiteSpace(options.Root)
            ? throw new OptionsValidationException(Section, typeof(ParquetOptions), ["Parquet:Root (--root) is required: the folder of the Parquet lake."])
            : options;
    }
}
