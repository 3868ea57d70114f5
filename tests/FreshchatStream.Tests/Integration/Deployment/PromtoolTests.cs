using System.Diagnostics;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Deployment;

/// <summary>
/// Prometheus's own checker on deploy/monitoring: rule syntax, the scrape config, and the rule unit tests
/// (freshchat-stream-rules.test.yml: which alerts fire on which series). .ci/run installs Debian's prometheus
/// package for promtool; under CI a missing promtool fails rather than passing unchecked.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
public sealed class PromtoolTests
{
    private static readonly string Folder = RepositoryRoot.Combine("deploy", "monitoring", "prometheus");

    [Theory]
    [InlineData("check", "rules", "freshchat-stream-rules.yml")]
    [InlineData("check", "config", "prometheus.yml")]
    [InlineData("test", "rules", "freshchat-stream-rules.test.yml")]
    public async Task Promtool_AcceptsTheMonitoringFiles(string verb, string what, string file)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "promtool is missing: .ci/run installs Debian's prometheus package");
            return;
        }

        var info = new ProcessStartInfo(promtool) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(verb);
        info.ArgumentList.Add(what);
        info.ArgumentList.Add(file);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, $"promtool {verb} {what} {file} exited {process.ExitCode}:\n{await output}\n{await error}");
    }
}
