using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Deployment;

/// <summary>
/// docker-compose.yml read the way Compose selects services: a service without <c>profiles</c> always runs, one
/// with profiles runs when one of them is active. Lets tests check each profile combination without Docker.
/// </summary>
internal sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(YamlMappingNode root) => _root = root;

    public static ComposeFile Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepositoryRoot.Combine("docker-compose.yml"));
        yaml.Load(reader);
        return new ComposeFile((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    public YamlMappingNode Services => (YamlMappingNode)_root["services"];

    public IReadOnlyList<string> ServiceNames => [.. Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];

    public IReadOnlyList<string> VolumeNames =>
        _root.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes)
            ? [.. ((YamlMappingNode)volumes).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)]
            : [];

    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    public static IReadOnlyList<string> Profiles(YamlMappingNode service) => Strings(service, "profiles");

    public IReadOnlyList<string> ActiveServices(params string[] profiles) =>
        [.. ServiceNames.Where(name => Profiles(Service(name)) is var own && (own.Count == 0 || own.Intersect(profiles).Any()))];

    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("environment"), out var environment)
            ? ((YamlMappingNode)environment).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>A sequence of scalars (command, entrypoint, profiles, volumes, ports); empty when absent.</summary>
    public static IReadOnlyList<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? value switch
            {
                YamlSequenceNode sequence => [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)],
                YamlScalarNode scalar => [scalar.Value!],
                _ => throw new InvalidOperationException($"{key} is neither a list nor a string"),
            }
            : [];

    public static IReadOnlyList<string> HealthcheckTest(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("healthcheck"), out var healthcheck)
            ? Strings((YamlMappingNode)healthcheck, "test")
            : [];

    /// <summary>depends_on entries: service name, whether Compose requires it (default true) and the condition.</summary>
    public static IReadOnlyList<(string Name, bool Required, string Condition)> DependsOn(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("depends_on"), out var dependsOn))
        {
            return [];
        }

        return dependsOn switch
        {
            YamlSequenceNode list => [.. list.Children.Select(c => (((YamlScalarNode)c).Value!, true, "service_started"))],
            YamlMappingNode map => [.. map.Children.Select(p =>
            {
                var entry = (YamlMappingNode)p.Value;
                var required = !entry.Children.TryGetValue(new YamlScalarNode("required"), out var r) || ((YamlScalarNode)r).Value != "false";
                var condition = entry.Children.TryGetValue(new YamlScalarNode("condition"), out var c) ? ((YamlScalarNode)c).Value! : "service_started";
                return (((YamlScalarNode)p.Key).Value!, required, condition);
            })],
            _ => throw new InvalidOperationException("depends_on is neither a list nor a map"),
        };
    }
}
