using System.Runtime.InteropServices;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// Sends a real SIGTERM to a child process, as Docker, systemd and Kubernetes do (Process.Kill sends SIGKILL), and
/// SIGSTOP/SIGCONT to freeze one as a long GC pause, a stalled VM or a suspended container would.
/// </summary>
public static class PosixSignals
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    public static void Terminate(int pid) => Send(pid, SigTerm, "SIGTERM");

    public static void Pause(int pid) => Send(pid, SigStop, "SIGSTOP");

    public static void Resume(int pid) => Send(pid, SigCont, "SIGCONT");

    private static void Send(int pid, int signal, string name)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
