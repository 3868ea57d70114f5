using System.Reflection;
using BenchmarkDotNet.Attributes;
using FreshchatStream.Bench;
using FreshchatStream.Bench.Micro;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Bench;

/// <summary>
/// Every benchmark of <c>bench/FreshchatStream.Bench</c> at tiny sizes, so they keep building and running in CI.
/// Their figures are not asserted here (a timed unit test would be flaky); bench/RESULTS.md records them.
/// </summary>
[Trait("Category", "Integration")]
[LongRunning]
public sealed class BenchmarkSmokeTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Publish_TinyRun_CompletesBothArms()
    {
        Assert.Equal(0, await PublishBenchmark.RunAsync(["--events", "1000", "--rounds", "1", "--batch", "200"]));
    }

    [Fact]
    public async Task Backfill_TinyAccounts_CapturesBothSizes()
    {
        Assert.Equal(0, await CaptureBenchmark.BackfillAsync(["--users", "100", "--baseline-users", "50", "--messages-per-conversation", "5", "--redis", redis.Configuration]));
    }

    [Fact]
    public async Task Steady_TinyAccount_MeasuresTwoRoundsWithWebhooksOffAndOn()
    {
        Assert.Equal(0, await CaptureBenchmark.SteadyAsync(["--users", "100", "--rounds", "2", "--poll-seconds", "1", "--settle-seconds", "20", "--webhooks", "compare", "--redis", redis.Configuration]));
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task StateBytes_TinyAccount_SizesBothLayouts()
    {
        Assert.Equal(0, await StateBytesBenchmark.RunAsync(["--users", "200", "--messages-per-conversation", "2", "--redis", redis.Configuration]));
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task Budget_OneShortCell_MeasuresItAndTheBaseline()
    {
        Assert.Equal(0, await BudgetBenchmark.BudgetAsync(["--latencies", "0", "--budgets", "1200", "--steady-seconds", "1", "--backfill-cap-seconds", "4",
            "--redis", redis.Configuration]));
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task Throttled_TinyAccount_CapturesTheSameEventsCleanAndThrottled()
    {
        Assert.Equal(0, await BudgetBenchmark.ThrottledAsync(["--users", "20", "--latency-ms", "0", "--burst-503", "2", "--redis", redis.Configuration]));
    }

    [Fact]
    [Trait("Issue", "#19")]
    public async Task Accounts_TinyAccounts_MeasuresOneAndTwoAccounts()
    {
        Assert.Equal(0, await AccountsBenchmark.RunAsync(["--accounts", "1,2", "--users", "20", "--cycles", "1", "--poll-seconds", "1", "--redis", redis.Configuration]));
    }

    /// <summary>Each BenchmarkDotNet method called once directly (not through BenchmarkDotNet), so none can rot.</summary>
    [Fact]
    public void Micro_EveryBenchmarkMethod_RunsOnceAndReturnsAValue()
    {
        var benchmarks = new PublishMicroBenchmarks();
        benchmarks.Setup();
        var methods = typeof(PublishMicroBenchmarks).GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToList();

        Assert.True(methods.Count >= 9, $"{methods.Count} benchmark methods");
        foreach (var method in methods)
        {
            Assert.NotNull(method.Invoke(benchmarks, null));
        }

        Assert.Equal(benchmarks.ValueGenericRecord(), benchmarks.ValueDirect());
        Assert.Equal(benchmarks.KeyGenericRecord(), benchmarks.KeyDirect());
    }

    [Fact]
    public async Task Landers_TinyRun_CompletesBothArms()
    {
        Assert.Equal(0, await LanderBenchmark.RunAsync(["--rows", "500", "--batch", "100"]));
    }

    [Fact]
    [Trait("Issue", "#22")]
    public async Task Parquet_TinyRun_CompletesBothArms()
    {
        Assert.Equal(0, await ParquetBenchmark.RunAsync(["--rows", "500", "--batch", "100"]));
    }
}
