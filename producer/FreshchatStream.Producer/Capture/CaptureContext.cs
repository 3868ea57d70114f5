using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// What one strategy run sees: the Freshchat client, the state store, a <see cref="CaptureBatch"/> to publish
/// into, the selected resources, the cycle's clock reading and the mode. Built per resource per cycle by
/// <see cref="CaptureCycle"/>.
/// </summary>
public sealed class CaptureContext
{
    internal CaptureContext(IFreshchatClient freshchat, ICursorStore store, CaptureBatch batch, IReadOnlySet<string> selected,
        CaptureMode mode, DateTimeOffset now, string account, CaptureOptions options, IReadOnlyDictionary<string, ResourceCursor> cursors,
        IReadOnlyDictionary<string, string> meta, ChangeOp firstSeenOp = ChangeOp.Create, bool push = false)
    {
        Push = push;
        FirstSeenOp = firstSeenOp;
        Freshchat = freshchat;
        Store = store;
        Batch = batch;
        Selected = selected;
        Mode = mode;
        Now = now;
        Account = account;
        Options = options;
        Cursors = cursors;
        Meta = meta;
    }

    public IFreshchatClient Freshchat { get; }

    /// <summary>Where the strategy reports how far it is (an item listed, a conversation polled); an observer only.</summary>
    public Progress.PassProgress Progress { get; init; } = Capture.Progress.PassProgress.None;

    public ICursorStore Store { get; }

    public CaptureBatch Batch { get; }

    /// <summary>The resources selected for this run (a strategy serving several emits only these).</summary>
    public IReadOnlySet<string> Selected { get; }

    public CaptureMode Mode { get; }

    /// <summary>A push cycle (<see cref="CaptureRun.Push"/>): poll only what webhooks signalled.</summary>
    public bool Push { get; }

    /// <summary>
    /// The op of an entity or message without stored state: <c>c</c>, or <c>r</c> while a state store that lost
    /// its data is re-captured (<see cref="StateLossRecovery"/>): the entity was published before, not created.
    /// </summary>
    public ChangeOp FirstSeenOp { get; }

    /// <summary>When the cycle started; the <c>__captured_at</c> of its events and the base of due times.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The account name for <c>__account</c> and <c>ce_source</c>.</summary>
    public string Account { get; }

    public CaptureOptions Options { get; }

    /// <summary>Cursors as loaded at the start of the cycle.</summary>
    public IReadOnlyDictionary<string, ResourceCursor> Cursors { get; }

    /// <summary>Meta fields as loaded at the start of the cycle.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; }

    public ResourceCursor Cursor(string resource) => Cursors.TryGetValue(resource, out var cursor) ? cursor : ResourceCursor.Initial();

    private readonly Dictionary<Type, object> _passNotes = [];

    /// <summary>
    /// What a strategy notes for the rest of this pass and no longer (one <typeparamref name="T"/> per pass, created
    /// on first use): a context belongs to one pass of one account, so nothing leaks into the next cycle or another
    /// account. Read and written on the pass's own flow, not from its concurrent reads.
    /// </summary>
    public T PassNote<T>() where T : class, new()
    {
        if (!_passNotes.TryGetValue(typeof(T), out var note))
        {
            note = new T();
            _passNotes[typeof(T)] = note;
        }

        return (T)note;
    }

    /// <summary>Whether <see cref="PassNote{T}"/> was taken in this pass.</summary>
    public bool HasPassNote<T>() where T : class, new() => _passNotes.ContainsKey(typeof(T));

    /// <summary>
    /// Whether the full reconciliation scan of <paramref name="resource"/> is due: never done, or older than
    /// <c>Capture:ReconcileInterval</c> (<c>00:00:00</c> makes it due every cycle).
    /// </summary>
    public bool IsReconcileDue(string resource) =>
        MetaFields.ParseTime(Meta.GetValueOrDefault(MetaFields.LastReconcileAt(resource))) is not { } last
        || Now - last >= Options.ReconcileInterval;

    /// <summary>Builds an entity event for <paramref name="resource"/> with this cycle's metadata.</summary>
    public ChangeEvent Entity(TopicDescriptor resource, ChangeOp op, System.Text.Json.JsonElement json, string endpoint, string fingerprint) =>
        ChangeEvent.ForEntity(resource, op, json, Now, Account, endpoint, fingerprint: fingerprint);

    /// <summary>Builds a <c>d</c> event (followed by a tombstone on compacted topics).</summary>
    public ChangeEvent Deleted(TopicDescriptor resource, string id, string endpoint) =>
        ChangeEvent.Deleted(resource, new ChangeEventKey(id), Now, Account, endpoint);
}
