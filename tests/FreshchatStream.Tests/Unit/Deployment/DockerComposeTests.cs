using System.Text.RegularExpressions;
using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Deployment;

public sealed class DockerComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    private static YamlMappingNode Service(string name) => Compose.Service(name);

    [Fact]
    public void Compose_Services_IncludeTheRealStack()
    {
        Assert.Superset(
            new HashSet<string> { "kafka", "schema-registry", "redis", "producer", "freshchat-sandbox", "postgres", "lander-postgres", "connect", "connect-init", "prometheus", "grafana" },
            Compose.ServiceNames.ToHashSet());
    }

    [Fact]
    public void Compose_Producer_GetsEveryRequiredSettingFromTheEnvironment()
    {
        var keys = ComposeFile.Environment(Service("producer")).Keys.ToHashSet();

        Assert.Superset(
            new HashSet<string> { "Freshchat__BaseUrl", "Freshchat__ApiKey", "Kafka__BootstrapServers", "SchemaRegistry__Url", "Redis__Configuration" },
            keys);
    }

    [Fact]
    public void Compose_Producer_WaitsForHealthyDependencies()
    {
        var dependsOn = ComposeFile.DependsOn(Service("producer")).ToDictionary(d => d.Name);

        foreach (var dependency in new[] { "kafka", "schema-registry", "redis" })
        {
            Assert.Equal("service_healthy", dependsOn[dependency].Condition);
            Assert.True(dependsOn[dependency].Required);
            Assert.NotEmpty(ComposeFile.HealthcheckTest(Service(dependency)));
        }
    }

    [Fact]
    public void Compose_BuiltServices_ReferenceDockerfilesThatExist()
    {
        var built = Compose.ServiceNames
            .Select(Service)
            .Where(service => service.Children.ContainsKey("build"))
            .Select(service => (YamlMappingNode)service["build"])
            .Select(build => Path.Combine(((YamlScalarNode)build["context"]).Value!, ((YamlScalarNode)build["dockerfile"]).Value!))
            .ToList();

        Assert.NotEmpty(built);
        Assert.All(built, dockerfile => Assert.True(File.Exists(RepositoryRoot.Combine(dockerfile)), $"{dockerfile} is missing"));
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_PulledImages_ArePinnedToAnExactVersion()
    {
        var pulled = Compose.ServiceNames.Select(Service).Where(service => !service.Children.ContainsKey("build")).ToList();

        Assert.NotEmpty(pulled);
        Assert.All(pulled, service =>
        {
            var image = ((YamlScalarNode)service["image"]).Value!;
            // PostgreSQL's releases are numbered major.minor; every other image here has a patch number.
            Assert.Matches(image.StartsWith("postgres:", StringComparison.Ordinal) ? @":\d+\.\d+-alpine$" : @":v?\d+\.\d+\.\d+(-[a-z0-9]+)?$", image);
        });
    }

    [Fact]
    public void Compose_PublishedPorts_BindToLoopbackOnly()
    {
        var ports = Compose.ServiceNames.SelectMany(name => ComposeFile.Strings(Service(name), "ports"));

        Assert.All(ports, port => Assert.StartsWith("127.0.0.1:", port));
    }

    [Fact]
    public void Compose_Lander_ReadsTheProducersTopicsIntoPostgres()
    {
        var lander = Service("lander-postgres");
        var environment = ComposeFile.Environment(lander);

        Assert.Superset(new HashSet<string> { "Kafka__BootstrapServers", "SchemaRegistry__Url", "Postgres__ConnectionString" }, environment.Keys.ToHashSet());
        Assert.Equal(["postgres"], ComposeFile.Strings(lander, "command"));
        Assert.Contains("Host=postgres", environment["Postgres__ConnectionString"]);
        Assert.Contains("producer", ComposeFile.DependsOn(lander).Select(d => d.Name));
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_PostgresPassword_ReachesTheLanderOnlyThroughTheEnvironment()
    {
        var lander = Service("lander-postgres");
        var environment = ComposeFile.Environment(lander);

        Assert.DoesNotContain("password", environment["Postgres__ConnectionString"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ComposeFile.Environment(Service("postgres"))["POSTGRES_PASSWORD"], environment["PGPASSWORD"]);
    }

    [Fact]
    public void Compose_Producer_ServesHealthOnItsMetricsPort()
    {
        var producer = Service("producer");
        var port = ComposeFile.Environment(producer)["Observability__MetricsPort"];

        Assert.Equal("9464", port);
        Assert.Contains($"127.0.0.1:{port}:{port}", ComposeFile.Strings(producer, "ports"));
    }

    [Theory]
    [Trait("Issue", "#20")]
    [InlineData("producer", "freshchat-stream.dll")]
    [InlineData("lander-postgres", "freshchat-landers.dll")]
    public void Compose_Healthcheck_RunsTheHealthSubcommandWithoutAShell(string service, string dll)
    {
        // CMD-SHELL runs /bin/sh, which is dash in the aspnet image: no /dev/tcp, so a shell probe never passed.
        Assert.Equal(["CMD", "dotnet", dll, "health"], ComposeFile.HealthcheckTest(Service(service)));
        Assert.Equal("0.0.0.0", ComposeFile.Environment(Service(service))["Observability__ListenAddress"]);
        Assert.Contains(dll, File.ReadAllText(RepositoryRoot.Combine(DockerfileOf(service))));
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_NoService_UsesAShellHealthcheck()
    {
        Assert.All(Compose.ServiceNames, name =>
        {
            var test = ComposeFile.HealthcheckTest(Service(name));
            Assert.True(test.Count == 0 || test[0] == "CMD", $"{name}: healthcheck must be [\"CMD\", …], not {string.Join(' ', test.Take(1))}");
        });
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_Kafka_KeepsItsTopicsInAVolumeAsRedisKeepsTheCursors()
    {
        var kafka = Service("kafka");
        var logDirs = ComposeFile.Environment(kafka)["KAFKA_LOG_DIRS"];

        Assert.Contains($"kafka-data:{logDirs}", ComposeFile.Strings(kafka, "volumes"));
        Assert.False(string.IsNullOrEmpty(ComposeFile.Environment(kafka)["CLUSTER_ID"]), "a fixed cluster id keeps the formatted volume valid across recreation");
        Assert.Contains("redis-data:/data", ComposeFile.Strings(Service("redis"), "volumes"));
        Assert.Superset(new HashSet<string> { "kafka-data", "redis-data", "postgres-data" }, Compose.VolumeNames.ToHashSet());
    }

    [Theory]
    [Trait("Issue", "#20")]
    [InlineData]
    [InlineData("sandbox")]
    [InlineData("connect")]
    [InlineData("connect", "sandbox")]
    [InlineData("monitoring")]
    [InlineData("connect", "monitoring", "sandbox")]
    public void Compose_Profiles_StartOnlyServicesWhoseRequiredDependenciesRun(params string[] profiles)
    {
        var active = Compose.ActiveServices(profiles).ToHashSet();

        Assert.All(active, name => Assert.All(ComposeFile.DependsOn(Service(name)), dependency =>
            Assert.True(active.Contains(dependency.Name) || !dependency.Required,
                $"with profiles [{string.Join(',', profiles)}] {name} depends on {dependency.Name}, which does not run")));
        Assert.All(active, name => Assert.All(ComposeFile.DependsOn(Service(name)).Where(d => d.Condition == "service_healthy"), dependency =>
            Assert.NotEmpty(ComposeFile.HealthcheckTest(Service(dependency.Name)))));
    }

    [Theory]
    [Trait("Issue", "#20")]
    [InlineData("sandbox")]
    [InlineData("connect")]
    [InlineData("connect", "monitoring")]
    public void Compose_ProfileWithoutAnAccount_RunsTheFreshchatHostTheProducerDefaultsTo(params string[] profiles)
    {
        var active = Compose.ActiveServices(profiles).ToHashSet();
        var baseUrl = ComposeFile.Environment(Service("producer"))["Freshchat__BaseUrl"];
        var fallback = System.Text.RegularExpressions.Regex.Match(baseUrl, @"\$\{FRESHCHAT_BASE_URL:-(?<url>[^}]+)\}").Groups["url"].Value;

        Assert.True(Uri.TryCreate(fallback, UriKind.Absolute, out var url), $"no default in {baseUrl}");
        Assert.Contains(url.Host, active);
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_CommandLines_CarryNoSecret()
    {
        // Command lines are visible in `ps` and `docker inspect`: no interpolated variable and nothing password-like.
        var secretLike = new Regex("password|secret|passwd|\\$\\{", RegexOptions.IgnoreCase);

        Assert.All(Compose.ServiceNames, name =>
        {
            var service = Service(name);
            var lines = ComposeFile.Strings(service, "command").Concat(ComposeFile.Strings(service, "entrypoint")).Concat(ComposeFile.HealthcheckTest(service));
            Assert.All(lines, line => Assert.False(secretLike.IsMatch(line), $"{name}: '{line}' looks like a secret on a command line"));
        });
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_Connect_IsOurImageWithPluginsBakedInAndTheEnvConfigProvider()
    {
        var connect = Service("connect");
        var environment = ComposeFile.Environment(connect);
        var dockerfile = File.ReadAllText(RepositoryRoot.Combine(DockerfileOf("connect")));

        Assert.Equal(["connect"], ComposeFile.Profiles(connect));
        Assert.Empty(ComposeFile.Strings(connect, "command")); // nothing is installed at container start
        Assert.DoesNotContain("confluent-hub install", dockerfile);
        Assert.Matches(@"(?m)^FROM confluentinc/cp-kafka-connect:\$\{CP_VERSION\}$", dockerfile);
        Assert.Matches(@"(?m)^ARG CP_VERSION=\d+\.\d+\.\d+$", dockerfile);
        Assert.Matches(@"(?m)^ARG SNOWFLAKE_CONNECTOR_VERSION=[34]\.\d+\.\d+$", dockerfile);
        Assert.Matches(@"(?m)^ARG BIGQUERY_CONNECTOR_VERSION=2\.([5-9]|\d\d)\.\d+$", dockerfile);
        Assert.Equal("env", environment["CONNECT_CONFIG_PROVIDERS"]);
        Assert.Equal("org.apache.kafka.common.config.provider.EnvVarConfigProvider", environment["CONNECT_CONFIG_PROVIDERS_ENV_CLASS"]);
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_ConnectInit_SubmitsTheSinksOnceConnectIsHealthy()
    {
        var init = Service("connect-init");
        var entrypoint = ComposeFile.Strings(init, "entrypoint");
        var dockerfile = File.ReadAllText(RepositoryRoot.Combine("consumers", "kafka-connect", "Dockerfile"));

        Assert.Equal(["connect"], ComposeFile.Profiles(init));
        Assert.Contains(ComposeFile.DependsOn(init), d => d is { Name: "connect", Condition: "service_healthy", Required: true });
        Assert.Equal(["/connectors/submit-connectors.sh"], entrypoint);
        Assert.True(File.Exists(RepositoryRoot.Combine("consumers", "kafka-connect", "submit-connectors.sh")));
        Assert.Contains("submit-connectors.sh /connectors/submit-connectors.sh", dockerfile);
        Assert.Contains("COPY *.json /connectors/", dockerfile);
        Assert.Equal("no", ((YamlScalarNode)init["restart"]).Value);
    }

    [Fact]
    [Trait("Issue", "#20")]
    public void Compose_Monitoring_MountsRulesDashboardAndProvisioningThatExist()
    {
        var mounts = new[] { "prometheus", "grafana" }
            .SelectMany(name => ComposeFile.Strings(Service(name), "volumes"))
            .Where(volume => volume.StartsWith("./", StringComparison.Ordinal))
            .Select(volume => volume.Split(':')[0][2..])
            .ToList();

        Assert.All(mounts, path => Assert.True(File.Exists(RepositoryRoot.Combine(path)) || Directory.Exists(RepositoryRoot.Combine(path)), $"{path} is missing"));
        Assert.Contains("deploy/monitoring/prometheus/freshchat-stream-rules.yml", mounts);
        Assert.Contains("deploy/monitoring/grafana/dashboards", mounts);
        Assert.All(new[] { "prometheus", "grafana" }, name => Assert.Equal(["monitoring"], ComposeFile.Profiles(Service(name))));
    }

    private static string DockerfileOf(string service)
    {
        var build = (YamlMappingNode)Service(service)["build"];
        return Path.Combine(((YamlScalarNode)build["context"]).Value!, ((YamlScalarNode)build["dockerfile"]).Value!);
    }
}
