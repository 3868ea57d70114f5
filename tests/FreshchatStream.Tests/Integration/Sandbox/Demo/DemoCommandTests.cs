using System.Diagnostics;
using FreshchatStream.Sandbox.Cli;

namespace FreshchatStream.Tests.Integration.Sandbox.Demo;

/// <summary>The README's one-command demo, run as a user would, within the two minutes it promises.</summary>
[Trait("Category", "Integration")]
public sealed class DemoCommandTests
{
    [Fact]
    [Trait("Issue", "#20")]
    public async Task Demo_EndToEnd_FinishesWithinTwoMinutesAndLeavesAQueryableDuckDbFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"demo-{Guid.NewGuid():N}");
        using var output = new StringWriter();
        using var messages = new StringWriter();
        var clock = Stopwatch.StartNew();

        var code = await SandboxCli.RunAsync(["demo", "--output", directory], output, messages, new TaskCompletionSource().Task).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(code == 0, messages.ToString() + output);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2));
        var text = output.ToString();
        Assert.Contains("backfill", text);
        Assert.Contains("live cycle 3/3", text);
        Assert.Contains("push + poll: producer running with Capture:PollInterval 60 s", text);
        var pushed = System.Text.RegularExpressions.Regex.Matches(text, @"message_create webhook → message in Kafka (\d+\.\d+) s after it was written");
        Assert.Equal(3, pushed.Count);
        Assert.All(pushed, m => Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 10, m.Value));
        Assert.Contains("Freshchat API requests spent", text);
        Assert.Contains("Point the same producer at a real account", text);
        var database = Path.Combine(directory, "freshchat-demo.duckdb");
        Assert.True(File.Exists(database));
        await using var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM messages";
        Assert.True(Convert.ToInt64(await command.ExecuteScalarAsync()) > 1000);
        Assert.Matches(@"freshchat\.users\s+\d+\s+users\s+403", text);
        var summary = System.Text.RegularExpressions.Regex.Matches(text, @"^\s+freshchat\.(?<topic>\w+)\s+(?<events>\d+)\s+\w+\s+(?<rows>\d+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["topic"].Value, m => (Events: long.Parse(m.Groups["events"].Value, System.Globalization.CultureInfo.InvariantCulture),
                Rows: long.Parse(m.Groups["rows"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        // Event tables hold one row per event, and a clean run publishes each once: what the topic received is what landed.
        foreach (var topic in new[] { "messages", "heartbeat", "webhook_events", "agent_availability" })
        {
            Assert.True(summary[topic].Events == summary[topic].Rows && summary[topic].Rows > 0, $"{topic}: {summary[topic]}\n{text}");
        }

        // Entity topics received at least one record per current row (and their history, deletes and tombstones).
        Assert.All(new[] { "users", "conversations", "agents" }, topic => Assert.True(summary[topic].Events >= summary[topic].Rows, $"{topic}: {summary[topic]}"));

        Assert.Matches(@"landed \d+ record\(s\) as Parquet in .*freshchat-lake \(\d+ day folder\(s\) compacted, \d+ current table\(s\)\)", text);
        Assert.Contains("read_parquet(", text);
        Assert.True(File.Exists(Path.Combine(directory, "freshchat-lake", "current", "users.parquet")));
        Assert.Matches(@"\n  \S+\s+\d+\s+\d+\r?\n", text[text.IndexOf("conversations  messages", StringComparison.Ordinal)..]);
    }
}
