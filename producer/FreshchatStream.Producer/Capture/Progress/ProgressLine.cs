using System.Globalization;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>The text of progress lines, shared by the log, snapshot's standard error and <c>status</c>.</summary>
public static class ProgressLine
{
    /// <summary>
    /// <c>conversations+messages: 120 of ~1,000 polled, 1,840 events acknowledged, 412 requests (200/min budget, 97% used), about 4 min left</c>.
    /// </summary>
    public static string InFlight(ProgressReading reading) =>
        $"{reading.Resource}: {Count(reading)}, {Number(reading.Events)} events acknowledged, {Number(reading.Requests)} requests " +
        $"({Number(reading.BudgetPerMinute)}/min budget{(reading.BudgetUsed is { } used ? $", {Math.Round(used * 100).ToString(CultureInfo.InvariantCulture)}% used" : string.Empty)}), " +
        $"{Left(reading.Left)}";

    /// <summary>The last line of a pass: <c>users: done, 1,000 of 1,000 listed, 1,000 events acknowledged, 14 requests in 6.1 s</c>.</summary>
    public static string Finished(ProgressReading reading, bool succeeded = true) =>
        $"{reading.Resource}: {(succeeded ? "done" : "stopped")}, {(reading.Known is { } known ? $"{Number(reading.Done)} of {Number(known)}" : Number(reading.Done))} {reading.Verb}, " +
        $"{Number(reading.Events)} events acknowledged, {Number(reading.Requests)} requests in {Duration(reading.Elapsed)}";

    /// <summary>"about 4 min left", or "time left unknown".</summary>
    public static string Left(TimeSpan? left) =>
        left is not { } value ? "time left unknown"
        : value < TimeSpan.FromSeconds(90) ? $"about {Math.Round(Math.Max(0, value.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s left"
        : $"about {Duration(value)} left";

    /// <summary>A rounded duration: <c>40 s</c>, <c>4 min</c>, <c>2 h 05 min</c>.</summary>
    public static string Duration(TimeSpan value) =>
        value < TimeSpan.FromSeconds(10) ? $"{value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
        : value < TimeSpan.FromSeconds(90) ? $"{Math.Round(value.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s"
        : value < TimeSpan.FromMinutes(90) ? $"{Math.Round(value.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min"
        : $"{((int)value.TotalHours).ToString(CultureInfo.InvariantCulture)} h {value.Minutes.ToString("00", CultureInfo.InvariantCulture)} min";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(ProgressReading reading) =>
        reading.Known is { } known
            ? $"{Number(reading.Done)} of ~{Number(known)} {reading.Verb}"
            : $"{Number(reading.Done)} {reading.Verb} (total unknown)";
}
