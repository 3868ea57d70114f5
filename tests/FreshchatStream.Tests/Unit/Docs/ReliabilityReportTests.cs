using FreshchatStream.Tests.Integration.Reliability;

namespace FreshchatStream.Tests.Unit.Docs;

/// <summary>
/// docs/reliability.md's table is written by one ledger per reliability class, in parallel: each merges its rows into
/// what the others wrote instead of replacing the table.
/// </summary>
public sealed class ReliabilityReportTests
{
    private const string Document = "intro\n" + ReliabilityLedger.BeginMarker + "\nGenerated earlier.\n\n" +
        "| scenario | producer runs | faults injected | events checked | lost | duplicates | time to recover |\n" +
        "|---|---:|---|---:|---:|---:|---:|\n" +
        "| Kafka: broker down | 1 | 3 outages | 1,000 | 0 | 5 | 4.0 s |\n" +
        "| Redis: slow | 1 | 4 stalls | 900 | 0 | 0 | 2.0 s |\n" +
        ReliabilityLedger.EndMarker + "\noutro\n";

    [Fact]
    public void MergeInto_ReplacesTheRowsOfTheScenariosRun_KeepsTheOthers_AndSortsByScenario()
    {
        var merged = ReliabilityLedger.MergeInto(Document,
            [new ScenarioFigures("Redis: slow", 2, "8 stalls", 1200, 0, 1, TimeSpan.FromSeconds(3)), new ScenarioFigures("Crash: kills", 5, "20 SIGKILLs", 5000, 0, 2, TimeSpan.FromSeconds(1.5))],
            "reliability.md");

        var rows = merged.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| scenario", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "| Crash: kills | 5 | 20 SIGKILLs | 5,000 | 0 | 2 | 1.5 s |",
            "| Kafka: broker down | 1 | 3 outages | 1,000 | 0 | 5 | 4.0 s |",
            "| Redis: slow | 2 | 8 stalls | 1,200 | 0 | 1 | 3.0 s |",
        ], rows);
        Assert.StartsWith("intro\n" + ReliabilityLedger.BeginMarker + "\nGenerated ", merged, StringComparison.Ordinal);
        Assert.EndsWith(ReliabilityLedger.EndMarker + "\noutro\n", merged, StringComparison.Ordinal);
        Assert.DoesNotContain("Generated earlier.", merged, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeInto_DocumentWithoutMarkers_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReliabilityLedger.MergeInto("no table here", [], "reliability.md"));
        Assert.Contains("reliability.md lacks the", error.Message, StringComparison.Ordinal);
    }
}
