using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Collects one row per reliability scenario of a test class and, when the class ends, prints its rows and — when
/// <c>RELIABILITY_REPORT</c> names a file (docs/reliability.md) — merges them into the table between that file's
/// generated-table markers, so the published figures are the suite's own output. Each class has its own ledger
/// (the classes run in parallel); a row replaces the row of the same scenario, rows of scenarios not run stay.
/// </summary>
public sealed class ReliabilityLedger : IAsyncLifetime
{
    public const string BeginMarker = "<!-- reliability:generated:begin -->";
    public const string EndMarker = "<!-- reliability:generated:end -->";

    // Ledgers of classes that end together must not interleave their read-merge-write of the same file.
    private static readonly SemaphoreSlim ReportLock = new(1, 1);

    private readonly ConcurrentQueue<ScenarioFigures> _rows = new();

    /// <summary>Set <c>RELIABILITY_SOAK=1</c> for the long soak: more crash moments and fault rounds.</summary>
    public static bool Soak => Environment.GetEnvironmentVariable("RELIABILITY_SOAK") is "1" or "true";

    internal void Record(ScenarioFigures figures)
    {
        _rows.Enqueue(figures);
        Console.WriteLine($"reliability: {figures.Scenario}: {figures.Runs} runs, {figures.Faults}, {figures.EventsChecked} events checked, {figures.Lost} lost, {figures.Duplicates} duplicates, recovered in {figures.Recovery.TotalSeconds:0.0} s");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_rows.IsEmpty)
        {
            return;
        }

        var rows = _rows.ToList();
        Console.WriteLine(Render(rows.Select(Row)));
        if (Environment.GetEnvironmentVariable("RELIABILITY_REPORT") is not { Length: > 0 } path)
        {
            return;
        }

        path = Path.IsPathRooted(path) ? path : Path.Combine(RepositoryRoot.Path, path);
        await ReportLock.WaitAsync();
        try
        {
            var document = await File.ReadAllTextAsync(path);
            await File.WriteAllTextAsync(path, MergeInto(document, rows, path));
        }
        finally
        {
            ReportLock.Release();
        }
    }

    /// <summary>
    /// <paramref name="document"/> with <paramref name="rows"/> merged into its generated table: a row replaces the
    /// row of the same scenario, the other rows stay, and the table is sorted by scenario.
    /// </summary>
    internal static string MergeInto(string document, IReadOnlyCollection<ScenarioFigures> rows, string name)
    {
        var begin = document.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{name} lacks the {BeginMarker} / {EndMarker} markers.");
        }

        var merged = rows.ToDictionary(r => r.Scenario, Row, StringComparer.Ordinal);
        foreach (var earlier in ReadRows(document[(begin + BeginMarker.Length)..end]))
        {
            merged.TryAdd(ScenarioOf(earlier), earlier);
        }

        return document[..(begin + BeginMarker.Length)] + "\n" + Render(merged.Values) + document[end..];
    }

    private static string Render(IEnumerable<string> rows)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}){(Soak ? ", soak" : "")}.");
        text.AppendLine();
        text.AppendLine("| scenario | producer runs | faults injected | events checked | lost | duplicates | time to recover |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (var row in rows.OrderBy(ScenarioOf, StringComparer.Ordinal))
        {
            text.AppendLine(row);
        }

        return text.ToString();
    }

    private static string Row(ScenarioFigures r) =>
        string.Create(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Runs} | {r.Faults} | {r.EventsChecked:N0} | {r.Lost} | {r.Duplicates:N0} | {r.Recovery.TotalSeconds:0.0} s |");

    /// <summary>The data rows of a generated table (not its header or separator).</summary>
    private static IEnumerable<string> ReadRows(string table) => table.Split('\n')
        .Select(line => line.TrimEnd('\r'))
        .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| scenario |", StringComparison.Ordinal));

    private static string ScenarioOf(string row) => row[2..row.IndexOf(" | ", 2, StringComparison.Ordinal)];
}

/// <summary>One scenario's figures: how often the producer ran, what was injected, what the audit read and found, and how long recovery took.</summary>
internal sealed record ScenarioFigures(string Scenario, int Runs, string Faults, int EventsChecked, int Lost, int Duplicates, TimeSpan Recovery);
