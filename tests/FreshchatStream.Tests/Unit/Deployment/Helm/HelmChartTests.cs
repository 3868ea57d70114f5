using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Deployment.Helm;

/// <summary>
/// deploy/helm/freshchat-stream rendered by <see cref="HelmChart"/> (Helm's template subset, no cluster, no helm
/// binary) and checked document by document. Static: it proves the manifests' shape and their agreement with the
/// producer's settings and compose; the probe paths are also requested from a running producer in
/// Integration/Capture/HelmProbeTests.
/// </summary>
[Trait("Issue", "#20")]
public sealed class HelmChartTests
{
    internal const string RequiredValues = """
        freshchat:
          baseUrl: https://acme.freshchat.com/v2
        kafka:
          bootstrapServers: kafka-0.kafka:9092
          config:
            security.protocol: SASL_SSL
            sasl.mechanism: PLAIN
            sasl.username: capture
        schemaRegistry:
          url: https://schema-registry:8081
        redis:
          configuration: redis-master:6379
        secretEnv:
          Freshchat__ApiKey: test-api-key
          Kafka__sasl.password: test-sasl-password
        """;

    private const string EverythingEnabled = RequiredValues + """

        webhooks:
          enabled: true
          publicKey: "-----BEGIN RSA PUBLIC KEY----- AAAA -----END RSA PUBLIC KEY-----"
        serviceMonitor:
          enabled: true
          labels:
            release: prometheus
        podDisruptionBudget:
          enabled: true
        lander:
          enabled: true
          postgresConnectionString: Host=postgres;Username=freshchat;Database=freshchat
        """;

    internal static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    internal static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => current is YamlSequenceNode list ? list.Children[int.Parse(key)] : ((YamlMappingNode)current)[key]);

    private static bool Has(YamlNode node, params string[] path)
    {
        try
        {
            Node(node, path);
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    private static YamlMappingNode Single(IReadOnlyList<YamlMappingNode> documents, string kind, string? component = null) =>
        Assert.Single(documents, d => Scalar(d, "kind") == kind && (component is null || Scalar(d, "metadata", "labels", "app.kubernetes.io/component") == component));

    internal static YamlMappingNode Container(YamlMappingNode deployment) => (YamlMappingNode)Node(deployment, "spec", "template", "spec", "containers", "0");

    internal static Dictionary<string, string> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => Scalar(e, "name"), e => e.Children.ContainsKey("value") ? Scalar(e, "value") : "(valueFrom)");

    private static int ContainerPort(YamlMappingNode container, string name) =>
        int.Parse(Scalar(((YamlSequenceNode)container["ports"]).Children.Cast<YamlMappingNode>().Single(p => Scalar(p, "name") == name), "containerPort"));

    [Theory]
    [InlineData(RequiredValues)]
    [InlineData(EverythingEnabled)]
    public void Chart_EveryDocumentHasTheFieldsKubernetesRequires(string values)
    {
        var documents = HelmChart.Render(values);

        Assert.NotEmpty(documents);
        Assert.All(documents, d =>
        {
            Assert.False(string.IsNullOrEmpty(Scalar(d, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Scalar(d, "kind")));
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Scalar(d, "metadata", "name"));
            Assert.Equal("freshchat-stream", Scalar(d, "metadata", "labels", "app.kubernetes.io/name"));
        });
        Assert.Equal(documents.Count, documents.Select(d => (Scalar(d, "kind"), Scalar(d, "metadata", "name"))).Distinct().Count());
    }

    [Fact]
    [Trait("Issue", "#19")]
    public void Producer_TwoReplicasRolledOneAtATime_KeptByABudget_WithTimeToFlushOnSigterm()
    {
        var documents = HelmChart.Render(RequiredValues);
        var deployment = Single(documents, "Deployment", "producer");
        var budget = Single(documents, "PodDisruptionBudget");

        // The lease makes the second replica a standby: the new pod starts before the old one hands over.
        Assert.Equal("2", Scalar(deployment, "spec", "replicas"));
        Assert.Equal("RollingUpdate", Scalar(deployment, "spec", "strategy", "type"));
        Assert.Equal("1", Scalar(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"));
        Assert.Equal("0", Scalar(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
        Assert.Equal("1", Scalar(budget, "spec", "minAvailable"));
        Assert.False(Has(budget, "spec", "maxUnavailable"));
        var grace = TimeSpan.FromSeconds(int.Parse(Scalar(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(grace > new FreshchatStream.Producer.Publishing.Kafka.KafkaOptions().FlushTimeout, $"terminationGracePeriodSeconds {grace} is not above Kafka:FlushTimeout");
    }

    [Fact]
    [Trait("Issue", "#19")]
    public void Producer_RecreateStrategy_RendersNoRollingUpdateBlock()
    {
        var deployment = Single(HelmChart.Render(RequiredValues + "\nreplicaCount: 1\nstrategy:\n  type: Recreate\n"), "Deployment", "producer");

        Assert.Equal("1", Scalar(deployment, "spec", "replicas"));
        Assert.Equal("Recreate", Scalar(deployment, "spec", "strategy", "type"));
        Assert.False(Has(deployment, "spec", "strategy", "rollingUpdate"));
    }

    [Fact]
    public void Producer_ProbesLivenessAndReadinessOnTheMetricsPortItListensOn()
    {
        var container = Container(Single(HelmChart.Render(RequiredValues), "Deployment", "producer"));
        var env = Env(container);
        var metricsPort = ContainerPort(container, "metrics");

        Assert.Equal("/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("metrics", Scalar(container, "livenessProbe", "httpGet", "port"));
        Assert.Equal("metrics", Scalar(container, "readinessProbe", "httpGet", "port"));
        Assert.Equal(metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), env["Observability__MetricsPort"]);
        Assert.Equal("0.0.0.0", env["Observability__ListenAddress"]);
        Assert.Equal(ComposeFile.Environment(ComposeFile.Load().Service("producer"))["Observability__MetricsPort"], env["Observability__MetricsPort"]);
        Assert.Equal(["run"], ((YamlSequenceNode)container["args"]).Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public void Producer_RunsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp()
    {
        var deployment = Single(HelmChart.Render(RequiredValues), "Deployment", "producer");
        var container = Container(deployment);
        var pod = (YamlMappingNode)Node(deployment, "spec", "template", "spec");

        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.NotEqual("0", Scalar(pod, "securityContext", "runAsUser"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("/tmp", Scalar(container, "volumeMounts", "0", "mountPath"));
        Assert.Equal(Scalar(container, "volumeMounts", "0", "name"), Scalar(pod, "volumes", "0", "name"));
        Assert.True(Has(pod, "volumes", "0", "emptyDir"));
        Assert.True(Has(container, "resources", "requests", "memory"));
        Assert.True(Has(container, "resources", "limits", "memory"));
    }

    [Fact]
    public void Producer_SecretsComeFromTheSecretNeverFromPlainEnv()
    {
        var documents = HelmChart.Render(RequiredValues);
        var container = Container(Single(documents, "Deployment", "producer"));
        var secret = Single(documents, "Secret");
        var env = Env(container);

        Assert.Equal(Scalar(secret, "metadata", "name"), Scalar(container, "envFrom", "0", "secretRef", "name"));
        Assert.Equal("test-api-key", Scalar(secret, "stringData", "Freshchat__ApiKey"));
        Assert.Equal("test-sasl-password", Scalar(secret, "stringData", "Kafka__sasl.password"));
        Assert.DoesNotContain(env.Values, v => v.Contains("test-", StringComparison.Ordinal));
        Assert.DoesNotContain(env.Keys, k => k.Contains("ApiKey", StringComparison.Ordinal) || k.Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("SASL_SSL", env["Kafka__security.protocol"]);
        Assert.Equal("https://acme.freshchat.com/v2", env["Freshchat__BaseUrl"]);
    }

    [Fact]
    public void ExistingSecret_IsMountedAndNoSecretIsRendered()
    {
        var documents = HelmChart.Render(RequiredValues + "\nexistingSecret: freshchat-credentials\n");

        Assert.DoesNotContain(documents, d => Scalar(d, "kind") == "Secret");
        Assert.Equal("freshchat-credentials", Scalar(Container(Single(documents, "Deployment", "producer")), "envFrom", "0", "secretRef", "name"));
    }

    [Fact]
    public void ManyAccounts_PassThroughExtraEnvAndSecretKeys()
    {
        var documents = HelmChart.Render("""
            kafka:
              bootstrapServers: kafka:9092
            schemaRegistry:
              url: http://schema-registry:8081
            redis:
              configuration: redis:6379
            extraEnv:
              - name: Accounts__acme__Freshchat__BaseUrl
                value: https://acme.freshchat.com/v2
              - name: Accounts__globex__Freshchat__BaseUrl
                value: https://globex.freshchat.com/v2
            secretEnv:
              Accounts__acme__Freshchat__ApiKey: acme-key
              Accounts__globex__Freshchat__ApiKey: globex-key
            """);
        var env = Env(Container(Single(documents, "Deployment", "producer")));
        var secret = Single(documents, "Secret");

        Assert.DoesNotContain("Freshchat__BaseUrl", env.Keys); // no top-level account
        Assert.Equal("https://acme.freshchat.com/v2", env["Accounts__acme__Freshchat__BaseUrl"]);
        Assert.Equal("https://globex.freshchat.com/v2", env["Accounts__globex__Freshchat__BaseUrl"]);
        Assert.Equal("globex-key", Scalar(secret, "stringData", "Accounts__globex__Freshchat__ApiKey"));
        // Values are not merged into lists: the chart's default Freshchat__ApiKey key stays but is empty.
        Assert.Equal("", Scalar(secret, "stringData", "Freshchat__ApiKey"));
    }

    [Fact]
    public void Optional_ServiceMonitorPodDisruptionBudgetLanderAndWebhookPort()
    {
        var documents = HelmChart.Render(EverythingEnabled);
        var producer = Single(documents, "Deployment", "producer");
        var container = Container(producer);
        var service = Single(documents, "Service");
        var monitor = Single(documents, "ServiceMonitor");
        var budget = Single(documents, "PodDisruptionBudget");
        var lander = Container(Single(documents, "Deployment", "lander"));
        var podLabels = (YamlMappingNode)Node(producer, "spec", "template", "metadata", "labels");

        var webhookPort = ContainerPort(container, "webhooks");
        Assert.Equal($"http://0.0.0.0:{webhookPort}", Env(container)["Webhooks__Listen"]);
        Assert.Equal(8090, webhookPort);
        Assert.Contains(((YamlSequenceNode)service["spec"]["ports"]).Children.Cast<YamlMappingNode>(), p => Scalar(p, "targetPort") == "webhooks");
        Assert.All(((YamlMappingNode)Node(service, "spec", "selector")).Children, label => Assert.Equal(label.Value, podLabels[label.Key]));
        Assert.All(((YamlMappingNode)Node(budget, "spec", "selector", "matchLabels")).Children, label => Assert.Equal(label.Value, podLabels[label.Key]));
        Assert.Equal("metrics", Scalar(monitor, "spec", "endpoints", "0", "port"));
        Assert.Equal("/metrics", Scalar(monitor, "spec", "endpoints", "0", "path"));
        Assert.Equal("prometheus", Scalar(monitor, "metadata", "labels", "release"));
        Assert.Equal(["postgres"], ((YamlSequenceNode)lander["args"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal("/health/live", Scalar(lander, "livenessProbe", "httpGet", "path"));
        Assert.Equal(ContainerPort(lander, "metrics").ToString(System.Globalization.CultureInfo.InvariantCulture), Env(lander)["Observability__MetricsPort"]);
        Assert.DoesNotContain("password", Env(lander)["Postgres__ConnectionString"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("true", Scalar(lander, "securityContext", "readOnlyRootFilesystem"));
    }

    [Fact]
    public void Selectors_MatchTheirOwnPodsOnly()
    {
        var documents = HelmChart.Render(EverythingEnabled);

        foreach (var deployment in documents.Where(d => Scalar(d, "kind") == "Deployment"))
        {
            var selector = (YamlMappingNode)Node(deployment, "spec", "selector", "matchLabels");
            var labels = (YamlMappingNode)Node(deployment, "spec", "template", "metadata", "labels");
            Assert.All(selector.Children, label => Assert.Equal(label.Value, labels[label.Key]));
        }

        Assert.NotEqual(
            Scalar(Single(documents, "Deployment", "producer"), "spec", "selector", "matchLabels", "app.kubernetes.io/component"),
            Scalar(Single(documents, "Deployment", "lander"), "spec", "selector", "matchLabels", "app.kubernetes.io/component"));
    }

    [Fact]
    public void MissingRequiredValue_FailsNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => HelmChart.Render("schemaRegistry:\n  url: http://sr:8081\n"));

        Assert.Contains("kafka.bootstrapServers is required", error.Message);
    }
}
