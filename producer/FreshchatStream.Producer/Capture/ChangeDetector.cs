using System.Text.Json;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Decides what an entity read from Freshchat means against the fingerprint stored for it: first seen
/// (<c>c</c>), changed (<c>u</c>), unchanged (nothing), or — in a snapshot — re-emitted (<c>r</c>). The
/// fingerprint covers the whole object as returned, so any field change is a new version.
/// </summary>
public static class ChangeDetector
{
    public static ChangeDecision Decide(JsonElement entity, string? storedFingerprint, CaptureMode mode)
    {
        var fingerprint = Fingerprint.Compute(entity);
        ChangeOp? op = mode == CaptureMode.Snapshot
            ? ChangeOp.Snapshot
            : storedFingerprint is null
                ? ChangeOp.Create
                : string.Equals(storedFingerprint, fingerprint, StringComparison.Ordinal) ? null : ChangeOp.Update;
        return new ChangeDecision(op, fingerprint);
    }
}

/// <summary>The operation to emit (null: nothing changed) and the entity version's fingerprint.</summary>
public readonly record struct ChangeDecision(ChangeOp? Op, string Fingerprint);
