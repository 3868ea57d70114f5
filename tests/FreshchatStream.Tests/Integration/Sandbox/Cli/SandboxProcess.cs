using System.Diagnostics;
using System.Text;

using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Sandbox.Cli;

/// <summary>
/// The built <c>freshchat-sandbox</c> running as a child process, as a user starts it: its settings lines read from
/// standard output, its standard error kept for failure messages, and a real SIGTERM to stop it.
/// </summary>
internal sealed class SandboxProcess : IDisposable
{
    private const string AssemblyFile = "freshchat-sandbox.dll";

    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly List<string> _lines = [];
    private Task? _drain;

    private SandboxProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Everything the child wrote on standard error so far (progress, or the reason it failed).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Every standard output line read so far, including any that came after the settings.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <c>dotnet freshchat-sandbox.dll args...</c>.</summary>
    public static SandboxProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(LocateAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The child must not inherit settings that would move its servers or change its logging.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("DOTNET_URLS");

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var sandbox = new SandboxProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (sandbox._errors)
                {
                    sandbox._errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return sandbox;
    }

    /// <summary>
    /// Reads the first <paramref name="count"/> stdout lines as <c>Key=Value</c> settings, then keeps reading
    /// the rest in the background so <see cref="OutputLines"/> shows anything printed later.
    /// </summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ReadSettingsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var settings = new List<KeyValuePair<string, string>>();
        while (settings.Count < count)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The sandbox printed {settings.Count} of {count} settings lines within {timeout}. stderr:\n{Errors}");
            }

            if (line is null)
            {
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"The sandbox exited with code {_process.ExitCode} before printing its settings. stderr:\n{Errors}");
            }

            lock (_lines)
            {
                _lines.Add(line);
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"Not a Key=Value line: '{line}'");
            settings.Add(new(line[..equals], line[(equals + 1)..]));
        }

        _drain = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } more)
            {
                lock (_lines)
                {
                    _lines.Add(more);
                }
            }
        });
        return settings;
    }

    /// <summary>Sends SIGTERM (what Docker, systemd and Kubernetes send) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        PosixSignals.Terminate(_process.Id);

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The sandbox did not exit within {timeout} of SIGTERM. stderr:\n{Errors}");
        }

        if (_drain is not null)
        {
            await _drain.WaitAsync(TimeSpan.FromSeconds(5));
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for a child that is expected to exit by itself (e.g. after bad arguments).</summary>
    public async Task<(int ExitCode, string Output)> WaitForExitAsync(TimeSpan timeout)
    {
        var output = _process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return (_process.ExitCode, await output);
    }

    public void Dispose()
    {
        // A failed test must not leave servers behind: the hard way, only if the polite one was not taken.
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }

        _process.Dispose();
    }

    /// <summary>
    /// The sandbox next to the test assembly (the project reference copies it there), or else the sandbox project's
    /// own output in the same artifacts layout (<c>bin/FreshchatStream.Sandbox/{pivot}</c>).
    /// </summary>
    private static string LocateAssembly()
    {
        var here = AppContext.BaseDirectory;
        var beside = Path.Combine(here, AssemblyFile);
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }

        var pivot = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        var own = pivot.Parent?.Parent is { } bin ? Path.Combine(bin.FullName, "FreshchatStream.Sandbox", pivot.Name, AssemblyFile) : null;
        if (own is not null && File.Exists(own))
        {
            return own;
        }

        throw new FileNotFoundException($"{AssemblyFile} was found neither in {here} nor at {own}; build the solution first.");
    }
}
