using System.Text.Json.Nodes;
using FreshchatStream.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace FreshchatStream.Tests.Unit.Deployment;

/// <summary>deploy/monitoring fits the compose monitoring profile that serves it (no Grafana or Prometheus here).</summary>
[Trait("Issue", "#20")]
public sealed class MonitoringFilesTests
{
    private static YamlMappingNode Yaml(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepositoryRoot.Combine(path));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    [Fact]
    public void Dashboard_EveryPanelQueriesPrometheusThroughTheDatasourceVariable()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "monitoring", "grafana", "dashboards", "freshchat-stream.json")))!;
        var panels = dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).Where(p => (string?)p["type"] != "row").ToList();

        Assert.Equal("freshchat-stream", (string?)dashboard["uid"]);
        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        Assert.All(panels, panel =>
        {
            Assert.Equal("${datasource}", (string?)panel["datasource"]!["uid"]);
            var targets = panel["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.Contains("freshchat_stream_", (string?)t!["expr"]));
        });
    }

    [Fact]
    public void Dashboard_CoversTheSignalsOperatorsAlertOn()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("deploy", "monitoring", "grafana", "dashboards", "freshchat-stream.json"));

        Assert.All(
            new[]
            {
                "freshchat_stream_capture_lag_seconds", "freshchat_stream_capture_passes_total", "kind=\\\"dead_letter\\\"",
                "freshchat_stream_freshchat_throttled_total", "freshchat_stream_freshchat_rate_limit_remaining",
                "freshchat_stream_webhooks_gaps_total", "freshchat_stream_publishing_delivery_failures_total",
            },
            signal => Assert.Contains(signal, text));
    }

    [Fact]
    public void AlertRules_CoverCaptureLagFailuresDeadLettersThrottlingWebhookGapsAndKafka()
    {
        var groups = (YamlSequenceNode)Yaml("deploy/monitoring/prometheus/freshchat-stream-rules.yml")["groups"];
        var alerts = groups.Children.SelectMany(g => ((YamlSequenceNode)((YamlMappingNode)g)["rules"]).Children.Cast<YamlMappingNode>())
            .ToDictionary(r => ((YamlScalarNode)r["alert"]).Value!, r => ((YamlScalarNode)r["expr"]).Value!);

        Assert.Contains("freshchat_stream_capture_lag_seconds", alerts["FreshchatCaptureLagHigh"]);
        Assert.Contains("freshchat_stream_capture_passes_total", alerts["FreshchatCapturePassesFailing"]);
        Assert.Contains("kind=\"dead_letter\"", alerts["FreshchatDeadLetters"]);
        Assert.Contains("freshchat_stream_freshchat_throttled_total", alerts["FreshchatThrottled"]);
        Assert.Contains("freshchat_stream_freshchat_rate_limit_remaining", alerts["FreshchatRateLimitHeadroomLow"]);
        Assert.Contains("freshchat_stream_webhooks_gaps_total", alerts["FreshchatWebhookGap"]);
        Assert.Contains("freshchat_stream_publishing_delivery_failures_total", alerts["FreshchatKafkaDeliveryFailures"]);
    }

    [Fact]
    [Trait("Issue", "#19")]
    public void LeaseAlertsAndPanel_WatchTheNumberOfHoldersPerAccount()
    {
        var groups = (YamlSequenceNode)Yaml("deploy/monitoring/prometheus/freshchat-stream-rules.yml")["groups"];
        var alerts = groups.Children.SelectMany(g => ((YamlSequenceNode)((YamlMappingNode)g)["rules"]).Children.Cast<YamlMappingNode>())
            .ToDictionary(r => ((YamlScalarNode)r["alert"]).Value!, r => r);
        var dashboard = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "monitoring", "grafana", "dashboards", "freshchat-stream.json")))!;
        var panel = Assert.Single(dashboard["panels"]!.AsArray(), p => (string?)p!["title"] == "Lease holder per account")!;

        foreach (var (name, comparison) in new[] { ("FreshchatLeaseUnheld", "== 0"), ("FreshchatLeaseClaimedTwice", "> 1") })
        {
            Assert.Equal($"sum by (account) (freshchat_stream_lease_held) {comparison}", ((YamlScalarNode)alerts[name]["expr"]).Value);
            Assert.Equal("2m", ((YamlScalarNode)alerts[name]["for"]).Value);
        }

        Assert.Contains(panel["targets"]!.AsArray(), t => (string?)t!["expr"] == "sum by (account) (freshchat_stream_lease_held)");
    }

    [Fact]
    public void Prometheus_ScrapesTheComposeServicesOnTheirMetricsPorts()
    {
        var compose = ComposeFile.Load();
        var targets = ((YamlSequenceNode)Yaml("deploy/monitoring/prometheus/prometheus.yml")["scrape_configs"]).Children
            .Cast<YamlMappingNode>()
            .SelectMany(job => ((YamlSequenceNode)job["static_configs"]).Children.Cast<YamlMappingNode>())
            .SelectMany(config => ((YamlSequenceNode)config["targets"]).Children.Select(t => ((YamlScalarNode)t).Value!))
            .ToList();

        Assert.Equal(2, targets.Count);
        Assert.All(targets, target =>
        {
            var (service, port) = (target.Split(':')[0], target.Split(':')[1]);
            Assert.Equal(port, ComposeFile.Environment(compose.Service(service))["Observability__MetricsPort"]);
        });
    }

    [Fact]
    public void Grafana_ProvisioningLoadsTheDashboardFolderComposeMounts()
    {
        var compose = ComposeFile.Load();
        var mounts = ComposeFile.Strings(compose.Service("grafana"), "volumes");
        var provider = (YamlMappingNode)((YamlSequenceNode)Yaml("deploy/monitoring/grafana/provisioning/dashboards/freshchat-stream.yml")["providers"]).Children[0];
        var path = ((YamlScalarNode)((YamlMappingNode)provider["options"])["path"]).Value;

        Assert.Contains($"./deploy/monitoring/grafana/dashboards:{path}:ro", mounts);
        Assert.Contains("./deploy/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro", mounts);
    }
}
