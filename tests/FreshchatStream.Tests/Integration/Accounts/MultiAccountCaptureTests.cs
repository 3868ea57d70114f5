using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Accounts;

/// <summary>
/// Two accounts in one process (<c>Accounts:*</c>, shared topics): both captured by <c>run --once</c>, each record,
/// header, metric and <c>status</c> block naming its account, each account's state in its own Redis namespace and
/// each account's requests within its own budget.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#19")]
[Collection(InProcessMetricsCollection.Name)]
public sealed class MultiAccountCaptureTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    [Fact]
    public async Task RunOnce_TwoAccounts_BothCapturedEachNamedAndWithinItsOwnBudget()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 11);
        var (scenario, alpha, beta, second) = accounts;
        // 600 requests per minute each (10/s, bursts of 1): one bucket shared by both accounts would hold the two
        // together to 10/s, their own buckets let them make about twice that.
        scenario.Settings["Freshchat:RequestsPerMinute"] = "600";
        using var requests = new ConcurrentRequestTags();

        var watch = Stopwatch.StartNew();
        var result = await scenario.RunAsync("run", "--once");
        watch.Stop();

        Assert.True(result.ExitCode == 0, result.ToString());
        var users = scenario.Read(CaptureCatalogue.UsersTopic);
        foreach (var (name, emulator) in new[] { (alpha, scenario.Freshchat), (beta, second) })
        {
            var own = users.Where(u => (string)u.Value!["__account"] == name).ToList();
            Assert.Equal(emulator.Data.EnumerateUsers().Select(u => (string)u["id"]!).Order(), own.Select(u => u.Id).Order());
            Assert.All(own, u => Assert.Equal($"freshchat-stream/{name}", u.Headers["ce_source"]));
            Assert.All(own, u => Assert.Equal("c", u.Op));
            Assert.True(requests.For(name) > 0, $"no freshchat_stream.freshchat.requests measurement tagged account={name}");
            Assert.Equal(emulator.Requests.Total, requests.For(name));
        }

        Assert.Equal(users.Count, users.Select(u => (string)u.Value!["__account"]).Count(a => a == alpha || a == beta));
        var seconds = watch.Elapsed.TotalSeconds;
        // 600/min is 10 a second; the token bucket starts with, and may bank, FreshchatResilience.BurstWindow of budget
        // (the request gate keeps every 60 s within the budget), so a short run may spend that much more.
        var perAccountBudget = 10 * (seconds + FreshchatResilience.BurstWindow.TotalSeconds) + 1;
        Assert.True(scenario.Freshchat.Requests.Total <= perAccountBudget, $"{alpha}: {scenario.Freshchat.Requests.Total} requests in {seconds:F1} s");
        Assert.True(second.Requests.Total <= perAccountBudget, $"{beta}: {second.Requests.Total} requests in {seconds:F1} s");
        Assert.True(scenario.Freshchat.Requests.Total + second.Requests.Total > perAccountBudget,
            $"{scenario.Freshchat.Requests.Total} + {second.Requests.Total} requests in {seconds:F1} s fit one shared budget: the accounts did not get their own");

        var status = await scenario.RunAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"account {alpha} (Redis {scenario.KeyPrefix}:{alpha}, topics {scenario.Prefix}.*", status.Output, StringComparison.Ordinal);
        Assert.Contains($"account {beta} (Redis {scenario.KeyPrefix}:{beta}", status.Output, StringComparison.Ordinal);
        var betaBlock = status.Output[status.Output.IndexOf($"account {beta}", StringComparison.Ordinal)..];
        Assert.Matches(@"(?m)^users\s+\S+.*\sok$", betaBlock);
        Assert.True(await stack.Redis.Connection.GetDatabase().KeyExistsAsync($"{scenario.KeyPrefix}:{alpha}:cursors"));
        Assert.False(await stack.Redis.Connection.GetDatabase().KeyExistsAsync($"{scenario.KeyPrefix}:cursors"));
    }

    [Fact]
    public async Task Run_TwoAccounts_ReadinessAndMetricsNameEachAccountAndItsLease()
    {
        await using var accounts = await TwoAccountScenario.StartAsync(stack, betaSeed: 13);
        var (scenario, alpha, beta, _) = accounts;
        var port = FreshchatStream.Tests.Fixtures.FreePort.Next();
        scenario.Settings["Observability:MetricsPort"] = $"{port}";
        using var stop = new CancellationTokenSource();
        var run = accounts.RunUntilAsync(stop.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var ready = string.Empty;
            var watch = Stopwatch.StartNew();
            while (!(ready.Contains($"{alpha} (lease epoch", StringComparison.Ordinal) && ready.Contains($"{beta} (lease epoch", StringComparison.Ordinal)))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60) && !run.IsCompleted, $"readiness never named both accounts' leases: {ready}");
                await Task.Delay(200);
                try
                {
                    ready = await http.GetStringAsync($"http://127.0.0.1:{port}/health/ready");
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
            }

            Assert.StartsWith("Healthy", ready, StringComparison.Ordinal);
            Assert.DoesNotContain("lease: ", ready, StringComparison.Ordinal);
            // Each account's series appear as its capture makes requests; wait (bounded) until both accounts have them.
            Regex[] expected = [.. new[] { alpha, beta }.SelectMany(name => new[]
            {
                new Regex($@"(?m)^freshchat_stream_lease_held\{{[^}}]*account=""{name}""[^}}]*\}} 1( |$)"),
                new Regex($@"(?m)^freshchat_stream_freshchat_requests_total\{{[^}}]*account=""{name}"""),
            })];
            string metrics;
            do
            {
                await Task.Delay(500);
                metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90),
                    "missing for an account: " + string.Join(", ", expected.Where(e => !e.IsMatch(metrics)).Select(e => e.ToString())));
            }
            while (!(expected.All(e => e.IsMatch(metrics)) && metrics.Contains("freshchat_stream_capture_events", StringComparison.Ordinal)));
        }
        finally
        {
            await stop.CancelAsync();
            var result = await run;
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    /// <summary>Counts <c>freshchat_stream.freshchat.requests</c> measurements by their <c>account</c> tag.</summary>
    private sealed class ConcurrentRequestTags : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

        public ConcurrentRequestTags()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FreshchatMetrics.MeterName && instrument.Name == "freshchat_stream.freshchat.requests")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "account" && tag.Value is string account)
                    {
                        _counts.AddOrUpdate(account, value, (_, n) => n + value);
                    }
                }
            });
            _listener.Start();
        }

        public long For(string account) => _counts.GetValueOrDefault(account);

        public void Dispose() => _listener.Dispose();
    }
}
