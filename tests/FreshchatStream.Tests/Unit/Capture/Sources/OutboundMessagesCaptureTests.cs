using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="OutboundMessagesCapture"/>: keyed by <c>message_id</c>, a status change is a <c>u</c>, nothing is ever
/// deleted by inference, and an account that lists them only per <c>request_id</c> is recorded, not failed.
/// </summary>
public sealed class OutboundMessagesCaptureTests
{
    private readonly StrategyHarness _harness = new();
    private readonly OutboundMessagesCapture _capture = new(NullLogger<OutboundMessagesCapture>.Instance);

    [Fact]
    public async Task CaptureAsync_StatusChanges_EmitsAnUpdateKeyedByMessageId()
    {
        _harness.Freshchat.OutboundMessages["om1"] = """{"message_id":"om1","request_id":"r1","status":"Accepted"}""";
        await _harness.RunAsync(_capture);
        Assert.Equal(("om1", ChangeOp.Create), Single());

        _harness.Freshchat.OutboundMessages["om1"] = """{"message_id":"om1","request_id":"r1","status":"Delivered"}""";
        await _harness.RunAsync(_capture);

        Assert.Equal(("om1", ChangeOp.Update), Single());
    }

    [Fact]
    public async Task CaptureAsync_MessagesAgedOutOfTheApi_AreNeverDeleted()
    {
        foreach (var id in new[] { "om1", "om2", "om3", "om4" })
        {
            _harness.Freshchat.OutboundMessages[id] = $$"""{"message_id":"{{id}}","status":"Sent"}""";
        }

        await _harness.RunAsync(_capture);
        _harness.Freshchat.OutboundMessages.Remove("om1");

        await _harness.RunAsync(_capture);

        Assert.Empty(_harness.LastEvents);
        Assert.True((await _harness.Store.GetFingerprintsAsync("outbound_messages", ["om1"])).ContainsKey("om1"));
    }

    [Fact]
    public async Task CaptureAsync_ApiRequiresARequestId_RecordsUnsupportedAndSucceeds()
    {
        _harness.Freshchat.OutboundRequiresRequestId = true;

        await _harness.RunAsync(_capture);

        Assert.Empty(_harness.LastEvents);
        Assert.NotEmpty((await _harness.Store.LoadMetaAsync())[MetaFields.Unsupported("outbound_messages")]);
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task CaptureAsync_ApiRequiresARequestId_AsksAgainOnlyAtReconcileInterval_AndCapturesOnceItLists()
    {
        _harness.Options.ReconcileInterval = TimeSpan.FromHours(1);
        _harness.Freshchat.OutboundRequiresRequestId = true;
        await _harness.RunAsync(_capture);
        Assert.Equal(1, _harness.Freshchat.OutboundListings);

        for (var cycle = 0; cycle < 10; cycle++)
        {
            _harness.Time.Advance(TimeSpan.FromMinutes(5));
            await _harness.RunAsync(_capture);
        }

        Assert.Equal(1, _harness.Freshchat.OutboundListings); // 50 min: not asked again
        Assert.NotEmpty((await _harness.Store.LoadMetaAsync())[MetaFields.Unsupported("outbound_messages")]);

        // The account starts listing them (another plan or token): seen at the next ask, then every cycle again.
        _harness.Freshchat.OutboundRequiresRequestId = false;
        _harness.Freshchat.OutboundMessages["om1"] = """{"message_id":"om1","status":"Sent"}""";
        _harness.Time.Advance(TimeSpan.FromMinutes(10));
        await _harness.RunAsync(_capture);
        Assert.Equal(("om1", ChangeOp.Create), Single());
        Assert.Empty((await _harness.Store.LoadMetaAsync())[MetaFields.Unsupported("outbound_messages")]);
        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        await _harness.RunAsync(_capture);
        Assert.Equal(3, _harness.Freshchat.OutboundListings);
    }

    [Fact]
    public async Task CaptureAsync_ApiRequiresARequestId_ReconcileIntervalZero_AsksEveryCycle()
    {
        _harness.Options.ReconcileInterval = TimeSpan.Zero;
        _harness.Freshchat.OutboundRequiresRequestId = true;

        await _harness.RunAsync(_capture);
        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        await _harness.RunAsync(_capture);

        Assert.Equal(2, _harness.Freshchat.OutboundListings);
    }

    private (string, ChangeOp) Single()
    {
        var change = Assert.Single(_harness.LastEvents);
        return (change.Key.Id, change.Op);
    }
}
