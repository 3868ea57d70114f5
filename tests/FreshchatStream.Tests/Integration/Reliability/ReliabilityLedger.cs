using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Collects one row per reliability scenario and, when the collection ends, prints the table and — when
/// <c>RELIABILITY_REPORT</c> names a file (docs/reliability.md) — rewrites the part of that file between the
/// generated-table markers, so the published figures are the suite's own output.
/// </summary>
public sealed class ReliabilityLedger : IAsyncLifetime
{
    public const string BeginMarker = "<!-- reliability:generated:begin -->";
    public const string EndMarker = "<!-- reliability:generated:end -->";

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

        var table = Render([.. _rows.OrderBy(r => r.Scenario, StringComparer.Ordinal)]);
        Console.WriteLine(table);
        if (Environment.GetEnvironmentVariable("RELIABILITY_REPORT") is not { Length: > 0 } path)
        {
            return;
        }

        path = Path.IsPathRooted(path) ? path : Path.Combine(RepositoryRoot.Path, path);
        var document = await File.ReadAllTextAsync(path);
        var begin = document.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path} lacks the {BeginMarker} / {EndMarker} markers.");
        }

        await File.WriteAllTextAsync(path, document[..(begin + BeginMarker.Length)] + "\n" + table + document[end..]);
    }

    internal static string Render(IReadOnlyList<ScenarioFigures> rows)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}){(Soak ? ", soak" : "")}.");
        text.AppendLine();
        text.AppendLine("| scenario | producer runs | faults injected | events checked | lost | duplicates | time to recover |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Runs} | {r.Faults} | {r.EventsChecked:N0} | {r.Lost} | {r.Duplicates:N0} | {r.Recovery.TotalSeconds:0.0} s |");
        }

        return text.ToString();
    }
}

/// <summary>One scenario's figures: how often the producer ran, what was injected, what the audit read and found, and how long recovery took.</summary>
internal sealed record ScenarioFigures(string Scenario, int Runs, string Faults, int EventsChecked, int Lost, int Duplicates, TimeSpan Recovery);

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<Capture.CaptureStackFixture>, ICollectionFixture<ReliabilityLedger>
{
    public const string Name = "reliability (own mock Kafka, Schema Registry emulator and Redis: brokers and Redis are stopped)";
}
