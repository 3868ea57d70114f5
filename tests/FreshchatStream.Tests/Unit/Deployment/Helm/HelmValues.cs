using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace FreshchatStream.Tests.Unit.Deployment.Helm;

/// <summary>
/// Values as Helm sees them: YAML read into maps, lists and typed scalars (plain <c>true</c> is a bool, plain
/// <c>1</c> a number, quoted text a string), merged over the chart's defaults, and written back by <c>toYaml</c>
/// with sorted keys as Helm's Go maps are.
/// </summary>
internal static class HelmValues
{
    private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    public static Dictionary<string, object?> Load(string yamlText)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(yamlText));
        return yaml.Documents.Count == 0 ? [] : (Dictionary<string, object?>)Convert(yaml.Documents[0].RootNode)! ?? [];
    }

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Convert(p.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => scalar.Value switch
        {
            null or "" or "~" or "null" => null,
            "true" => true,
            "false" => false,
            var v when long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.Contains('.') => d,
            var v => v,
        },
        YamlScalarNode scalar => scalar.Value,
        _ => throw new FormatException(node.GetType().Name),
    };

    /// <summary>Helm's deep merge: maps merge key by key, anything else in <paramref name="overrides"/> replaces.</summary>
    public static Dictionary<string, object?> Merge(Dictionary<string, object?> defaults, Dictionary<string, object?> overrides)
    {
        var merged = new Dictionary<string, object?>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            merged[key] = merged.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> a && value is Dictionary<string, object?> b
                ? Merge(a, b)
                : value;
        }

        return merged;
    }

    public static string ToYaml(object? value) => value is null ? "null" : Serializer.Serialize(Sorted(value)).TrimEnd('\n');

    private static object? Sorted(object? value) => value switch
    {
        IDictionary<string, object?> map => new SortedDictionary<string, object?>(map.ToDictionary(p => p.Key, p => Sorted(p.Value)), StringComparer.Ordinal),
        IList<object?> list => list.Select(Sorted).ToList(),
        _ => value,
    };
}
