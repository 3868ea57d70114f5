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

    /// <summary>When <paramref name="id"/> is next due: the in-memory schedule answers "due by", so the exact time is found by bisection over milliseconds.</summary>
    public async Task<DateTimeOffset> NextDueAsync(string id)
    {
        var now = Time.GetUtcNow();
        Assert.Contains(id, await Store.GetDueConversationsAsync(DateTimeOffset.MaxValue, 100));
        long low = now.ToUnixTimeMilliseconds() - 1, high = (now + TimeSpan.FromDays(400)).ToUnixTimeMilliseconds();
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            if ((await Store.GetDueConversationsAsync(DateTimeOffset.FromUnixTimeMilliseconds(mid), 100)).Contains(id))
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(high);
    }

    /// <summary>Scripts <c>GET /conversations/{id}</c> to answer a conversation with this status and <c>updated_time</c>.</summary>
    public void Conversation(string id, string status, DateTimeOffset updated) =>
        Freshchat.Conversations[id] = $$"""{"conversation_id":"{{id}}","status":"{{status}}","updated_time":"{{updated:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""";

    /// <summary>Adds a message to the scripted messages list of <paramref name="conversationId"/>.</summary>
    public void Message(string conversationId, string id, DateTimeOffset created)
    {
        if (!Freshchat.Messages.TryGetValue(conversationId, out var list))
        {
            Freshchat.Messages[conversationId] = list = [];
        }

        list.Add($$"""{"id":"{{id}}","conversation_id":"{{conversationId}}","created_time":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
    }
}
