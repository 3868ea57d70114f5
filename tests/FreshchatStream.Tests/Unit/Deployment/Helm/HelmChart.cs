using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Deployment.Helm;

/// <summary>
/// deploy/helm/freshchat-stream rendered the way <c>helm template</c> does (values.yaml under the overrides,
/// <c>.Release</c>, <c>.Chart</c>, the helpers' defines, every <c>templates/*.yaml</c>), then split into the
/// Kubernetes documents it produces. Only <see cref="GoTemplate"/>'s subset is supported.
/// </summary>
internal sealed class HelmChart
{
    public static readonly string Folder = RepositoryRoot.Combine("deploy", "helm", "freshchat-stream");

    public static IReadOnlyList<YamlMappingNode> Render(string overridesYaml = "", string releaseName = "fs")
    {
        var chart = HelmValues.Load(File.ReadAllText(Path.Combine(Folder, "Chart.yaml")));
        var values = HelmValues.Merge(HelmValues.Load(File.ReadAllText(Path.Combine(Folder, "values.yaml"))), HelmValues.Load(overridesYaml));
        var root = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Values"] = values,
            ["Release"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = releaseName, ["Namespace"] = "default", ["Service"] = "Helm" },
            ["Chart"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = chart["name"], ["Version"] = chart["version"], ["AppVersion"] = chart["appVersion"] },
        };

        var template = new GoTemplate();
        foreach (var helpers in Directory.EnumerateFiles(Path.Combine(Folder, "templates"), "*.tpl"))
        {
            template.AddDefinitions(File.ReadAllText(helpers));
        }

        var documents = new List<YamlMappingNode>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, "templates"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var rendered = template.Render(File.ReadAllText(file), root);
            var yaml = new YamlStream();
            try
            {
                yaml.Load(new StringReader(rendered));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new FormatException($"{Path.GetFileName(file)} renders to invalid YAML ({e.Message}):\n{rendered}", e);
            }

            documents.AddRange(yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>());
        }

        return documents;
    }
}
