using System.Text.Json;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Decides what an entity read from Freshchat means against the fingerprint stored for it: first seen
/// (<c>c</c>), changed (<c>u</c>), unchanged (nothing), or — in a snapshot — re-emitted (<c>r</c>). The
/// fingerprint covers the whole object as returned, so any field change is a new version.
/// </summary>
public static class ChangeDetector
{
    /// <summary>
    /// The fingerprint stored for an entity whose first version Kafka persisted in a batch that failed as a whole:
    /// it matches no version, so the next cycle emits the version again with the first-seen op (same
    /// <c>__event_id</c>), and the stored id lets a deletion scan see the entity if it vanishes first.
    /// </summary>
    public const string Unacknowledged = "unacknowledged";

    /// <param name="firstSeen">The op of an entity without a stored fingerprint: <c>c</c>, or <c>r</c> while state lost from the store is re-captured.</param>
    public static ChangeDecision Decide(JsonElement entity, string? storedFingerprint, CaptureMode mode, ChangeOp firstSeen = ChangeOp.Create)
    {
        var fingerprint = Fingerprint.Compute(entity);
        ChangeOp? op = mode == CaptureMode.Snapshot
            ? ChangeOp.Snapshot
            : storedFingerprint is null or Unacknowledged
                ? firstSeen
                : Fingerprint.Matches(storedFingerprint, fingerprint) ? null : ChangeOp.Update;
        return new ChangeDecision(op, fingerprint);
    }
}

/// <summary>The operation to emit (null: nothing changed) and the entity version's fingerprint.</summary>
public readonly record struct ChangeDecision(ChangeOp? Op, string Fingerprint);
