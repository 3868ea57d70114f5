using System.Diagnostics;
using System.Globalization;

namespace FreshchatStream.Bench;

/// <summary>
/// The real producer (<c>freshchat-stream</c>, built next to the benchmark) as a child process, configured through
/// environment variables as a deployment would, with its peak resident memory sampled from <c>/proc</c>.
/// </summary>
internal sealed class ProducerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Timer _sampler;
    private readonly List<string> _output = [];
    private long _peakRssKiB;

    private ProducerProcess(Process process)
    {
        _process = process;
        _sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Peak resident set size so far (the kernel's VmHWM), in MiB.</summary>
    public double PeakRssMiB => Interlocked.Read(ref _peakRssKiB) / 1024.0;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far (user + system, from <c>/proc/{pid}/stat</c>), in seconds.</summary>
    public double CpuSeconds()
    {
        // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15 (clock ticks, 100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Current resident set size (VmRSS), in MiB.</summary>
    public double RssMiB() =>
        File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).FirstOrDefault();

    public int Id => _process.Id;

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public static ProducerProcess Start(IEnumerable<KeyValuePair<string, string>> settings, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "freshchat-stream.dll"));
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start freshchat-stream.");
        var child = new ProducerProcess(process);
        process.OutputDataReceived += (_, line) => child.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => child.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as an orchestrator stops it; the producer finishes its batch and flushes.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed.");
        }

        return await WaitForExitAsync(timeout);
    }

    public void Dispose()
    {
        _sampler.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private void Sample()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    if (kib > Interlocked.Read(ref _peakRssKiB))
                    {
                        Interlocked.Exchange(ref _peakRssKiB, kib);
                    }
                }
            }
        }
        catch (IOException)
        {
            // exited between samples
        }
        catch (InvalidOperationException)
        {
            // not started or already disposed
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
