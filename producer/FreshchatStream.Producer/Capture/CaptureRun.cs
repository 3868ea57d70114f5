namespace FreshchatStream.Producer.Capture;

/// <summary>What the capture worker was asked to do by the command line: how, over which resources, how often.</summary>
public sealed record CaptureRun(CaptureMode Mode, IReadOnlyList<string> Resources, bool Once)
{
    /// <summary>Where <c>snapshot</c> prints its progress lines (standard error, keeping stdout for logs); null: progress goes to the log.</summary>
    public TextWriter? ProgressConsole { get; init; }

    /// <summary>
    /// A push cycle: only the conversations signalled by webhooks are polled (conversation and messages), between
    /// regular cycles; no discovery, no due schedule, no heartbeat.
    /// </summary>
    public bool Push { get; init; }
}

/// <summary>The result of one resource's pass in a cycle.</summary>
public sealed record ResourcePassResult(string Resource, bool Succeeded, int Events, IReadOnlyDictionary<string, int> ByOp, CaptureFailure? Failure, TimeSpan Duration)
{
    /// <summary>The endpoint whose 403 disabled the pass (not a failure: the token lacks a scope; retried at <c>Capture:ReconcileInterval</c>).</summary>
    public string? ForbiddenEndpoint { get; init; }

    /// <summary>
    /// Not attempted this cycle: its endpoint answered 403 less than <c>Capture:ReconcileInterval</c> ago, or (without
    /// <see cref="ForbiddenEndpoint"/>) a catalogue whose next listing is not yet due (<c>Capture:CatalogueInterval</c>).
    /// </summary>
    public bool Skipped { get; init; }
}

/// <summary>The results of one cycle.</summary>
public sealed record CycleReport(DateTimeOffset StartedAt, IReadOnlyList<ResourcePassResult> Results)
{
    public bool Succeeded => Results.All(r => r.Succeeded);

    public int Events => Results.Sum(r => r.Events);
}

/// <summary>How the capture ended, read by the command to choose the exit code and the stderr line.</summary>
public sealed class CaptureOutcome
{
    private readonly object _gate = new();

    public CycleReport? LastCycle { get; private set; }

    public CaptureFailure? Failure { get; private set; }

    public int ExitCode
    {
        get
        {
            lock (_gate)
            {
                return Failure?.ExitCode ?? 0;
            }
        }
    }

    public void Record(CycleReport report)
    {
        lock (_gate)
        {
            LastCycle = report;
        }
    }

    public void Fail(CaptureFailure failure)
    {
        lock (_gate)
        {
            Failure ??= failure;
        }
    }
}
