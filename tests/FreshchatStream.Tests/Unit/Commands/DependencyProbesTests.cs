using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Testing;

namespace FreshchatStream.Tests.Unit.Commands;

/// <summary>The start-up wait of <c>run</c>: waits out a dependency that comes up late, names one that never does, stops at a refusal.</summary>
public sealed class DependencyProbesTests
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Wait_DependencyAnswersOnThirdAttempt_ReturnsAndWarnedTwice()
    {
        var attempts = 0;
        var redis = new DependencyProbe("Redis", "Redis:Configuration", _ =>
            ++attempts < 3 ? throw new CursorStoreUnavailableException("Redis at 127.0.0.1:1 is unavailable (RedisConnectionException).") : Task.FromResult("ok"));
        var logger = new FakeLogger();

        await DependencyProbes.WaitUntilReachableAsync([Reachable("Kafka"), redis], TimeSpan.FromSeconds(30), Retry, TimeProvider.System, logger, CancellationToken.None);

        Assert.Equal(3, attempts);
        var warnings = logger.Collector.GetSnapshot();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("Waiting for Redis at start", w.Message));
        Assert.All(warnings, w => Assert.Contains("(check Redis:Configuration)", w.Message));
    }

    [Fact]
    public async Task Wait_DependencyNeverAnswers_ThrowsNamingItAndItsKeyOnly()
    {
        var calls = 0;
        var kafka = Reachable("Kafka", () => calls++);
        var registry = new DependencyProbe("Schema Registry", "SchemaRegistry:Url", _ => throw new HttpRequestException("Connection refused (127.0.0.1:9)"));

        var error = await Assert.ThrowsAsync<DependencyUnreachableException>(() =>
            DependencyProbes.WaitUntilReachableAsync([kafka, registry], TimeSpan.FromMilliseconds(200), Retry, TimeProvider.System, new FakeLogger(), CancellationToken.None));

        Assert.Equal(1, calls); // a dependency that answered is not probed again
        Assert.StartsWith("Schema Registry is unreachable: Connection refused (127.0.0.1:9) (check SchemaRegistry:Url)", error.Message);
        Assert.Contains("Capture:StartupTimeout (00:00:00.2000000)", error.Message);
        Assert.DoesNotContain("Kafka", error.Message);
        var (code, line) = FreshchatStreamCli.Describe(error);
        Assert.Equal(ExitCodes.Upstream, code);
        Assert.StartsWith("fatal: Schema Registry is unreachable", line);
    }

    [Fact]
    public async Task Wait_CredentialsRefused_ThrowsTheRefusalAtOnce()
    {
        var attempts = 0;
        var freshchat = new DependencyProbe("Freshchat", "Freshchat:BaseUrl", _ =>
        {
            attempts++;
            throw new FreshchatAuthenticationException("Freshchat refused the request (401 on GET /v2/accounts/configuration): check Freshchat:ApiKey", "GET /v2/accounts/configuration", 401);
        });

        await Assert.ThrowsAsync<FreshchatAuthenticationException>(() =>
            DependencyProbes.WaitUntilReachableAsync([freshchat], TimeSpan.FromSeconds(30), Retry, TimeProvider.System, new FakeLogger(), CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Probe_NoAnswerWithinTimeout_ReportsTheTimeoutAndKey()
    {
        var hanging = new DependencyProbe("Kafka", "Kafka:BootstrapServers", async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        });

        var result = await hanging.RunAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.False(result.Reached);
        Assert.Equal("no answer within 00:00:00.0500000 (check Kafka:BootstrapServers)", result.Failure);
    }

    private static DependencyProbe Reachable(string name, Action? onCall = null) =>
        new(name, $"{name}:Key", _ =>
        {
            onCall?.Invoke();
            return Task.FromResult("ok");
        });
}
