using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Tests.Fixtures;
using Xunit.Abstractions;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// Long passes show their progress: progress lines at <c>Observability:ProgressInterval</c> against a slow emulator
/// and a low budget, the same progress in <c>status</c> from another process while the cycle runs, and a first-cycle
/// estimate that holds against the measured duration of a sandbox backfill.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#23")]
[LongRunning]
public sealed partial class ProgressTests(CaptureStackFixture stack, ITestOutputHelper output) : IClassFixture<CaptureStackFixture>
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task RunOnce_SlowEmulatorAndLowBudget_LogsProgressEveryIntervalAndStatusShowsItOnlyWhileTheCycleRuns()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with
        {
            Users = 60, ConversationsPerUser = 0.3, Behaviour = new(), Faults = new EmulatorFaults { Latency = TimeSpan.FromMilliseconds(20) },
        });
        scenario.Settings["Freshchat:RequestsPerMinute"] = "300";
        scenario.Settings["Observability:ProgressInterval"] = "00:00:01";
        scenario.Settings["Logging:LogLevel:FreshchatStream.Producer.Capture"] = "Information";
        var log = new StringBuilder();
        var received = new List<(DateTimeOffset At, string Line)>();

        string? inFlight = null;
        using (var run = scenario.StartChild(null, line => { lock (log) { log.AppendLine(line); received.Add((DateTimeOffset.UtcNow, line)); } }, "run", "--once"))
        {
            var deadline = DateTime.UtcNow + ChildTimeout;
            while (!run.HasExited && DateTime.UtcNow < deadline)
            {
                var status = await scenario.RunAsync("status");
                if (inFlight is null && status.Output.Contains("in flight on", StringComparison.Ordinal))
                {
                    inFlight = status.Output;
                }

                await Task.Delay(500);
            }

            await run.WaitForExitAsync().WaitAsync(ChildTimeout);
            run.WaitForExit();
            Assert.True(run.ExitCode == 0, Text(log));
        }

        var after = await scenario.RunAsync("status");
        var text = Text(log);
        output.WriteLine(text);

        // status, from this process, showed the running instance's progress and stopped showing it after the cycle.
        Assert.NotNull(inFlight);
        Assert.Matches(@"  [a-z_+]+: [\d,]+ (of ~[\d,]+|\(total unknown\)) [^,]+, [\d,]+ events acknowledged, [\d,]+ requests \(300/min budget\), (about .+ left|time left unknown) \(estimated at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)", inFlight);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain("in flight on", after.Output, StringComparison.Ordinal);

        // Progress lines of the conversations pass, one per interval, counting up within each phase with estimates going down.
        List<(DateTimeOffset At, string Message)> messages;
        lock (log)
        {
            messages = Messages(received, "CaptureProgress[390]");
        }

        var lines = messages.Select(m => (m.At, Match: InFlightLine().Match(m.Message))).Where(m => m.Match.Success).Select(p => (p.At, m: p.Match)).Select(p => new
        {
            p.At,
            Done = Number(p.m.Groups["done"].Value),
            Known = Number(p.m.Groups["known"].Value),
            Verb = p.m.Groups["verb"].Value,
            Left = Seconds(p.m.Groups["left"].Value),
        }).ToList();
        Assert.True(lines.Count >= 4, text);
        var gaps = lines.Zip(lines.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).Order().ToList();
        var median = gaps[gaps.Count / 2];
        Assert.True(median is >= 0.8 and <= 1.6, $"median gap between progress lines {median:F2} s, expected about the 1 s interval\n{text}");
        foreach (var phase in lines.GroupBy(l => l.Verb))
        {
            var done = phase.Select(l => l.Done).ToList();
            Assert.True(done.SequenceEqual(done.Order()), $"{phase.Key}: done counts {string.Join(",", done)} do not increase");
            Assert.All(phase, l => Assert.True(l.Done <= l.Known, text));
        }

        var discovery = lines.Where(l => l.Verb == "users' conversation lists read").ToList();
        Assert.True(discovery.Count >= 3, text);
        Assert.True(discovery[^1].Done > discovery[0].Done, text);
        var estimates = discovery.Where(l => l.Left is not null).Select(l => l.Left!.Value).ToList();
        // The first estimates see the token bucket's banked burst (FreshchatResilience.BurstWindow) and so a rate above
        // the budget; once it is spent the estimate rises to the budget's pace, and from there it must come down.
        var peak = estimates.Count == 0 ? 0 : estimates.IndexOf(estimates.Max());
        Assert.True(estimates.Count >= 3 && estimates[^1] < estimates[peak] && estimates.Skip(peak).Zip(estimates.Skip(peak + 1)).All(p => p.Second <= p.First + 1),
            $"estimates {string.Join(", ", estimates)} s do not decrease\n{text}");

        // The first-cycle estimate: a lower bound from the users listing at once, then the full one after the discovery sample.
        var preliminary = text.IndexOf("first cycle on this account: at least ", StringComparison.Ordinal);
        var full = text.IndexOf("first cycle on this account: about ", StringComparison.Ordinal);
        Assert.True(preliminary >= 0 && full > preliminary, text);
        Assert.Contains("(60 users: ", text[preliminary..], StringComparison.Ordinal);

        // The final line matches the pass's totals.
        var final = FinishedLine().Match(text);
        Assert.True(final.Success, text);
        Assert.Equal(final.Groups["done"].Value, final.Groups["known"].Value);
        var pass = PassLine().Match(text);
        Assert.True(pass.Success, text);
        Assert.Equal(Number(pass.Groups["events"].Value), Number(final.Groups["events"].Value));
        Assert.True(Number(final.Groups["events"].Value) > 0, text);
    }

    [Fact]
    public async Task Snapshot_SlowEmulatorAndLowBudget_PrintsTheSameProgressLinesOnStandardError()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with { Users = 60, ConversationsPerUser = 0.3, Behaviour = new(), Faults = new() });
        var backfill = await scenario.RunAsync("run", "--once");
        Assert.True(backfill.ExitCode == 0, backfill.ToString());
        scenario.Freshchat.Faults.Latency = TimeSpan.FromMilliseconds(20);
        scenario.Settings["Freshchat:RequestsPerMinute"] = "300";
        scenario.Settings["Observability:ProgressInterval"] = "00:00:01";

        var result = await scenario.RunAsync("snapshot", "--resources", "conversations,messages");

        Assert.True(result.ExitCode == 0, result.ToString());
        var done = Regex.Matches(result.Error, @"^snapshot conversations\+messages: (?<done>\d+) of ~(?<known>\d+) re-emitted, [\d,]+ events acknowledged, [\d,]+ requests \(300/min budget(, \d+% used)?\), (about \d+ s left|time left unknown)\r?$", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups["done"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(done.Count >= 3 && done.SequenceEqual(done.Order()) && done[^1] > done[0], result.Error);
        var final = Regex.Match(result.Error, @"^snapshot conversations\+messages: done, (?<done>\d+) of (?<known>\d+) re-emitted, (?<events>[\d,]+) events acknowledged", RegexOptions.Multiline);
        Assert.True(final.Success && final.Groups["done"].Value == final.Groups["known"].Value, result.Error);
        Assert.Contains($"snapshot done: {Number(final.Groups["events"].Value)} event(s) re-emitted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstCycleEstimate_SandboxBackfillOf300UsersAt600PerMinute_IsWithin30PercentOfTheActualCycle()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, new FreshchatEmulatorOptions { Users = 300, Seed = 23 });
        scenario.Settings["Freshchat:RequestsPerMinute"] = "600";
        scenario.Settings["Logging:LogLevel:FreshchatStream.Producer.Capture"] = "Information";

        var check = await scenario.RunAsync("check");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Matches(@"ok   estimate: first cycle on this account: about [\d,]+ requests, about .+ at 600/min; raise Freshchat:RequestsPerMinute if your account allows more \(300 users: ", check.Output);

        var log = new StringBuilder();
        using (var run = scenario.StartChild(null, line => { lock (log) { log.AppendLine(line); } }, "run", "--once"))
        {
            await run.WaitForExitAsync().WaitAsync(ChildTimeout);
            run.WaitForExit();
            Assert.True(run.ExitCode == 0, Text(log));
        }

        var text = Text(log);
        var estimate = EstimateLine().Match(text);
        var cycle = CycleLine().Match(text);
        Assert.True(estimate.Success && cycle.Success, text);
        var estimatedSeconds = Number(estimate.Groups["requests"].Value) / 600.0 * 60;
        var actualSeconds = double.Parse(cycle.Groups["seconds"].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
        var error = (estimatedSeconds - actualSeconds) / actualSeconds;
        output.WriteLine($"{estimate.Value}\nestimated {estimatedSeconds:F1} s, actual cycle {actualSeconds:F1} s, error {error:P1}");
        Assert.True(Math.Abs(error) <= 0.3, $"estimated {estimatedSeconds:F1} s, actual {actualSeconds:F1} s ({error:P1})\n{text}");
    }

    [Fact]
    public async Task Run_WithMetricsPort_ExportsProgressGaugesWhileAPassIsInFlight()
    {
        await using var scenario = await CaptureScenario.StartAsync(stack, CaptureScenario.SmallAccount with
        {
            Users = 60, ConversationsPerUser = 0.3, Behaviour = new(), Faults = new EmulatorFaults { Latency = TimeSpan.FromMilliseconds(20) },
        });
        var port = FreePort.Next();
        scenario.Settings["Observability:MetricsPort"] = port.ToString(CultureInfo.InvariantCulture);
        scenario.Settings["Freshchat:RequestsPerMinute"] = "300";
        scenario.Settings["Observability:ProgressInterval"] = "00:00:01";
        // A child process, not an in-process run: the OpenTelemetry meter provider of an in-process run listens by
        // meter name, so it would also see the meters of runs that other test classes make in parallel.
        var log = new StringBuilder();
        using var child = scenario.StartChild(null, line => { lock (log) { log.AppendLine(line); } }, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var metrics = string.Empty;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        // One scrape holding all three series of the conversations pass (labels in any order, e.g. otel_scope_name first).
        string[] expected =
        [
            @"freshchat_stream_capture_progress_done\{[^}]*resource=""conversations\+messages""[^}]*\} \d",
            @"freshchat_stream_capture_progress_known\{[^}]*resource=""conversations\+messages""[^}]*\} [1-9]",
            @"freshchat_stream_capture_progress_remaining_seconds\{[^}]*resource=""conversations\+messages""[^}]*\} \d",
        ];
        while (DateTime.UtcNow < deadline && !expected.All(series => Regex.IsMatch(metrics, series)) && !child.HasExited)
        {
            await Task.Delay(500);
            try
            {
                metrics = await http.GetStringAsync("/metrics");
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
        }

        if (!child.HasExited)
        {
            PosixSignals.Terminate(child.Id);
        }

        await child.WaitForExitAsync().WaitAsync(ChildTimeout);
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, Text(log));
        foreach (var series in expected)
        {
            Assert.Matches(series, metrics);
        }
    }

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>
    /// The messages logged under <paramref name="header"/> (category and event id), with when this process received them.
    /// The console logger prints the message after the header on the same line, or on the next one.
    /// </summary>
    private static List<(DateTimeOffset At, string Message)> Messages(List<(DateTimeOffset At, string Line)> received, string header)
    {
        var messages = new List<(DateTimeOffset At, string Message)>();
        for (var i = 0; i < received.Count; i++)
        {
            var at = received[i].Line.IndexOf(header, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var rest = received[i].Line[(at + header.Length)..].Trim();
            messages.Add(rest.Length > 0 || i + 1 == received.Count ? (received[i].At, rest) : (received[i + 1].At, received[i + 1].Line.Trim()));
        }

        return messages;
    }

    private static long Number(string text) => long.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static double? Seconds(string left)
    {
        var match = Regex.Match(left, @"^about (?<n>[\d.]+) (?<unit>s|min) left$");
        return !match.Success ? null
            : double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) * (match.Groups["unit"].Value == "min" ? 60 : 1);
    }

    [GeneratedRegex(@"^conversations\+messages: (?<done>[\d,]+) of ~(?<known>[\d,]+) (?<verb>[^,]+), [\d,]+ events acknowledged, [\d,]+ requests \(300/min budget(, \d+% used)?\), (?<left>about [\d.]+ (s|min) left|time left unknown)")]
    private static partial Regex InFlightLine();

    [GeneratedRegex(@"conversations\+messages: done, (?<done>[\d,]+) of (?<known>[\d,]+) polled, (?<events>[\d,]+) events acknowledged, [\d,]+ requests in ")]
    private static partial Regex FinishedLine();

    [GeneratedRegex(@"conversations\+messages: (?<events>\d+) event\(s\) acknowledged")]
    private static partial Regex PassLine();

    [GeneratedRegex(@"first cycle on this account: about (?<requests>[\d,]+) requests, about .+ at 600/min; raise Freshchat:RequestsPerMinute if your account allows more")]
    private static partial Regex EstimateLine();

    [GeneratedRegex(@"Cycle \(Changes\) done: \d+ event\(s\), \d+/\d+ resource\(s\) succeeded in (?<seconds>[\d.,]+) s")]
    private static partial Regex CycleLine();
}
