using System.Globalization;

namespace FreshchatStream.Bench;

/// <summary>The benchmarks' <c>--name value</c> options; a missing or unparsable value falls back to the default.</summary>
internal static class BenchArguments
{
    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public static double Double(string[] args, string name, double fallback) =>
        Value(args, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
