using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// <see cref="RolesCapture"/> is wired to <c>GET /roles</c> and the <c>roles</c> topic; the fingerprint-scan rules it
/// inherits are covered in depth by <see cref="GroupsCaptureTests"/>.
/// </summary>
public sealed class RolesCaptureTests
{
    private readonly StrategyHarness _harness = new();
    private readonly RolesCapture _capture = new(NullLogger<RolesCapture>.Instance);

    [Fact]
    public async Task CaptureAsync_ListedThenChangedThenGone_EmitsCreateUpdateAndDeleteOnTheTopic()
    {
        _harness.Freshchat.Roles["x1"] = """{"id":"x1","name":"one"}""";
        _harness.Freshchat.Roles["x2"] = """{"id":"x2","name":"two"}""";
        await _harness.RunAsync(_capture);
        Assert.Equal([("x1", ChangeOp.Create), ("x2", ChangeOp.Create)], Ops());
        Assert.All(_harness.LastEvents, e => Assert.Equal("roles", e.Resource.Resource));

        _harness.Freshchat.Roles["x1"] = """{"id":"x1","name":"uno"}""";
        await _harness.RunAsync(_capture);
        Assert.Equal([("x1", ChangeOp.Update)], Ops());

        _harness.Freshchat.Roles.Remove("x2");
        await _harness.RunAsync(_capture); // the confirming listing misses x2 as well
        Assert.Equal([("x2", ChangeOp.Delete)], Ops());
        Assert.Empty(await _harness.Store.GetFingerprintsAsync("roles", ["x2"]));
    }

    [Fact]
    public async Task CaptureAsync_UnchangedListing_EmitsNothing()
    {
        _harness.Freshchat.Roles["x1"] = """{"id":"x1","name":"one"}""";
        await _harness.RunAsync(_capture);

        await _harness.RunAsync(_capture);

        Assert.Empty(_harness.LastEvents);
    }

    private List<(string, ChangeOp)> Ops() => [.. _harness.LastEvents.Select(e => (e.Key.Id, e.Op)).OrderBy(p => p.Id, StringComparer.Ordinal)];
}
