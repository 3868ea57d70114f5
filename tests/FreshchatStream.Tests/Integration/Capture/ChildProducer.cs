using System.Collections.Concurrent;
using System.Diagnostics;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// A producer started as a child process, with every line it has printed: the lease and fencing tests watch their
/// instances by these lines. Disposing kills the process if it still runs.
/// </summary>
internal sealed class ChildProducer : IDisposable
{
    private readonly ConcurrentQueue<string> _lines;

    private ChildProducer(Process process, ConcurrentQueue<string> lines)
    {
        Process = process;
        _lines = lines;
    }

    public Process Process { get; }

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>
    /// Starts the child through <paramref name="start"/>, which is given where to pass each line
    /// (<c>CaptureScenario.StartChild</c> or <c>ReliabilityDrill.StartProducer</c>).
    /// </summary>
    public static ChildProducer Start(Func<Action<string>, Process> start)
    {
        var lines = new ConcurrentQueue<string>();
        return new ChildProducer(start(lines.Enqueue), lines);
    }

    public bool Logged(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits for <paramref name="condition"/>; fails on timeout or when the child exits, with its last lines.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout && !Process.HasExited,
                $"{failure} within {timeout.TotalSeconds} s{(Process.HasExited ? " (it exited)" : "")}; its last lines:\n{string.Join("\n", _lines.TakeLast(30))}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }
}
