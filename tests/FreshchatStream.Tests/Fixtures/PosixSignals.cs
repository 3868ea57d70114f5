using System.Runtime.InteropServices;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>Sends a real SIGTERM to a child process, as Docker, systemd and Kubernetes do (Process.Kill sends SIGKILL).</summary>
public static class PosixSignals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (Kill(pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
