using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary><see cref="AccountConfigurationCapture"/>: one object keyed by <c>account_id</c>, <c>c</c>/<c>u</c> only when its fingerprint changes.</summary>
public sealed class AccountConfigurationCaptureTests
{
    private readonly StrategyHarness _harness = new();
    private readonly AccountConfigurationCapture _capture = new();

    [Fact]
    public async Task CaptureAsync_FirstThenUnchangedThenChanged_EmitsCreateNothingUpdate()
    {
        _harness.Freshchat.AccountConfigurationJson = """{"account_id":"1","app_id":"a","locale":"en"}""";
        await _harness.RunAsync(_capture);
        var created = Assert.Single(_harness.LastEvents);
        Assert.Equal(("1", ChangeOp.Create, "account_configuration"), (created.Key.Id, created.Op, created.Resource.Resource));

        await _harness.RunAsync(_capture);
        Assert.Empty(_harness.LastEvents);

        _harness.Freshchat.AccountConfigurationJson = """{"account_id":"1","app_id":"a","locale":"de"}""";
        await _harness.RunAsync(_capture);
        var updated = Assert.Single(_harness.LastEvents);
        Assert.Equal(ChangeOp.Update, updated.Op);
    }

    [Fact]
    public async Task CaptureAsync_BatchNotAcknowledged_StoresNoFingerprintSoTheNextCycleRepeatsTheCreate()
    {
        _harness.Freshchat.AccountConfigurationJson = """{"account_id":"1","app_id":"a"}""";
        _harness.Sink.FailWhen = _ => true;
        await Assert.ThrowsAsync<FreshchatStream.Producer.Capture.DeliveryIncompleteException>(() => _harness.RunAsync(_capture));
        Assert.Empty(await _harness.Store.GetFingerprintsAsync("account_configuration", ["1"]));

        _harness.Sink.FailWhen = _ => false;
        await _harness.RunAsync(_capture);

        Assert.Equal(ChangeOp.Create, Assert.Single(_harness.LastEvents).Op);
    }
}
