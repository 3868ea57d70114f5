using System.Text.Json;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class ChangeDetectorTests
{
    private static readonly JsonElement User = JsonDocument.Parse("""{"id":"u1","email":"a@b.c","updated_time":"2025-07-01T10:00:00.000Z"}""").RootElement;

    [Fact]
    public void Decide_NoStoredFingerprint_IsCreate()
    {
        var decision = ChangeDetector.Decide(User, storedFingerprint: null, CaptureMode.Changes);

        Assert.Equal(ChangeOp.Create, decision.Op);
        Assert.Equal(Fingerprint.Compute(User), decision.Fingerprint);
    }

    [Fact]
    public void Decide_SameFingerprint_IsNothing()
    {
        Assert.Null(ChangeDetector.Decide(User, Fingerprint.Compute(User), CaptureMode.Changes).Op);
    }

    [Fact]
    public void Decide_FieldOrderDiffers_IsNothing()
    {
        var reordered = JsonDocument.Parse("""{"updated_time":"2025-07-01T10:00:00.000Z","email":"a@b.c","id":"u1"}""").RootElement;

        Assert.Null(ChangeDetector.Decide(reordered, Fingerprint.Compute(User), CaptureMode.Changes).Op);
    }

    [Fact]
    public void Decide_AnyFieldChanged_IsUpdate()
    {
        var changed = JsonDocument.Parse("""{"id":"u1","email":"a@b.c","updated_time":"2025-07-01T10:00:00.001Z"}""").RootElement;

        Assert.Equal(ChangeOp.Update, ChangeDetector.Decide(changed, Fingerprint.Compute(User), CaptureMode.Changes).Op);
    }

    [Fact]
    public void Decide_Snapshot_IsReadWhetherOrNotItChanged()
    {
        Assert.Equal(ChangeOp.Snapshot, ChangeDetector.Decide(User, Fingerprint.Compute(User), CaptureMode.Snapshot).Op);
        Assert.Equal(ChangeOp.Snapshot, ChangeDetector.Decide(User, null, CaptureMode.Snapshot).Op);
    }
}
