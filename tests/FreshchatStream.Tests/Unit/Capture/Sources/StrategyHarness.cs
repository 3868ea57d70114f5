using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// Runs one capture strategy the way <see cref="CaptureCycle"/> runs a pass — state loaded at the start, one
/// <see cref="CaptureBatch"/>, a final flush — over the scripted client, the in-memory store, the recording sink
/// and a fake clock. No I/O.
/// </summary>
internal sealed class StrategyHarness
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero));

    public ScriptedFreshchatClient Freshchat { get; } = new();

    public InMemoryCursorStore Store { get; } = new();

    public RecordingChangeSink Sink { get; } = new();

    public CaptureOptions Options { get; } = new();

    /// <summary>The events of the last <see cref="RunAsync"/>, in the order added.</summary>
    public IReadOnlyList<ChangeEvent> LastEvents { get; private set; } = [];

    /// <param name="firstSeenOp">What <see cref="CaptureCycle"/> passes: <c>r</c> while a lost state store is re-captured.</param>
    /// <param name="push">A push cycle (webhook signals only), as <see cref="CaptureWorker"/> runs between regular cycles.</param>
    public async Task RunAsync(IResourceCapture capture, CaptureMode mode = CaptureMode.Changes, IReadOnlySet<string>? selected = null,
        ChangeOp firstSeenOp = ChangeOp.Create, bool push = false)
    {
        var before = Sink.Added.Count;
        var cursors = await Store.LoadCursorsAsync();
        var meta = await Store.LoadMetaAsync();
        var batch = new CaptureBatch(Sink, Store, Options.BatchSize) { ScannedForDeletions = capture.ScannedForDeletions };
        var context = new CaptureContext(Freshchat, Store, batch, selected ?? new HashSet<string>(capture.Resources, StringComparer.Ordinal), mode,
            Time.GetUtcNow(), "acct", Options, cursors, meta, firstSeenOp, push);
        try
        {
            await capture.CaptureAsync(context, CancellationToken.None);
            await batch.FlushAsync(CancellationToken.None);
        }
        finally
        {
            LastEvents = [.. Sink.Added.Skip(before)];
        }
    }
}
