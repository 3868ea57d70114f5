using System.Runtime.InteropServices;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a graceful stop: the default action (terminate at once, exit 130/143)
/// is cancelled so the command can shut its servers down and exit 0.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    // Continuations run on the thread pool, not on the runtime's signal-handling thread.
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    /// <summary>Completes when a stop signal arrived.</summary>
    public Task Requested => _requested.Task;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        _requested.TrySetResult();
    });
}
