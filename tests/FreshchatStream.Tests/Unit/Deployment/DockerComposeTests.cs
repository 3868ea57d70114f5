using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Deployment;

public sealed class DockerComposeTests
{
    private static YamlMappingNode LoadServices()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepositoryRoot.Combine("docker-compose.yml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root["services"];
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)LoadServices()[name];

    [Fact]
    public void Compose_Services_IncludeTheRealStack()
    {
        var names = LoadServices().Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();

        Assert.Superset(new HashSet<string?> { "kafka", "schema-registry", "redis", "producer", "freshchat-sandbox", "postgres", "lander-postgres", "connect" }, names);
    }

    [Fact]
    public void Compose_Producer_GetsEveryRequiredSettingFromTheEnvironment()
    {
        var environment = (YamlMappingNode)Service("producer")["environment"];
        var keys = environment.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();

        Assert.Superset(
            new HashSet<string?> { "Freshchat__BaseUrl", "Freshchat__ApiKey", "Kafka__BootstrapServers", "SchemaRegistry__Url", "Redis__Configuration" },
            keys);
    }

    [Fact]
    public void Compose_Producer_WaitsForHealthyDependencies()
    {
        var dependsOn = (YamlMappingNode)Service("producer")["depends_on"];

        foreach (var dependency in new[] { "kafka", "schema-registry", "redis" })
        {
            var condition = (YamlScalarNode)((YamlMappingNode)dependsOn[dependency])["condition"];
            Assert.Equal("service_healthy", condition.Value);
            Assert.True(Service(dependency).Children.ContainsKey("healthcheck"), $"{dependency} needs a healthcheck for service_healthy");
        }
    }

    [Fact]
    public void Compose_BuiltServices_ReferenceDockerfilesThatExist()
    {
        var built = LoadServices().Children
            .Select(pair => (YamlMappingNode)pair.Value)
            .Where(service => service.Children.ContainsKey("build"))
            .Select(service => ((YamlScalarNode)((YamlMappingNode)service["build"])["dockerfile"]).Value!)
            .ToList();

        Assert.NotEmpty(built);
        Assert.All(built, dockerfile => Assert.True(File.Exists(RepositoryRoot.Combine(dockerfile)), $"{dockerfile} is missing"));
    }

    [Fact]
    public void Compose_PublishedPorts_BindToLoopbackOnly()
    {
        var ports = LoadServices().Children
            .Select(pair => (YamlMappingNode)pair.Value)
            .Where(service => service.Children.ContainsKey("ports"))
            .SelectMany(service => ((YamlSequenceNode)service["ports"]).Children.Select(p => ((YamlScalarNode)p).Value!));

        Assert.All(ports, port => Assert.StartsWith("127.0.0.1:", port));
    }

    [Fact]
    public void Compose_Lander_ReadsTheProducersTopicsIntoPostgres()
    {
        var lander = Service("lander-postgres");
        var keys = ((YamlMappingNode)lander["environment"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        var command = ((YamlSequenceNode)lander["command"]).Children.Select(c => ((YamlScalarNode)c).Value).ToList();

        Assert.Superset(new HashSet<string?> { "Kafka__BootstrapServers", "SchemaRegistry__Url" }, keys);
        Assert.Equal("postgres", command[0]);
        Assert.Contains("Host=postgres", command[2]);
        Assert.Contains("producer", ((YamlMappingNode)lander["depends_on"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void Compose_Producer_ServesHealthOnItsMetricsPort()
    {
        var producer = Service("producer");
        var environment = (YamlMappingNode)producer["environment"];
        var port = ((YamlScalarNode)environment["Observability__MetricsPort"]).Value;

        Assert.Contains(port!, ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)producer["healthcheck"])["test"]).Children[1]).Value);
        Assert.Contains($"127.0.0.1:{port}:{port}", ((YamlSequenceNode)producer["ports"]).Children.Select(p => ((YamlScalarNode)p).Value));
    }

    [Fact]
    public void Compose_ConnectProfile_MountsTheSinkConfigsWithBothPlugins()
    {
        var connect = Service("connect");
        var volume = ((YamlScalarNode)((YamlSequenceNode)connect["volumes"]).Children[0]).Value!;
        var script = string.Join(" ", ((YamlSequenceNode)connect["command"]).Children.Select(c => ((YamlScalarNode)c).Value));

        Assert.Equal("connect", ((YamlScalarNode)((YamlSequenceNode)connect["profiles"]).Children[0]).Value);
        Assert.True(File.Exists(RepositoryRoot.Combine(volume.Split(':')[0], "snowflake-sink.json")));
        Assert.True(File.Exists(RepositoryRoot.Combine(volume.Split(':')[0], "bigquery-sink.json")));
        Assert.Contains("snowflakeinc/snowflake-kafka-connector", script);
        Assert.Contains("wepay/kafka-connect-bigquery", script);
    }
}
