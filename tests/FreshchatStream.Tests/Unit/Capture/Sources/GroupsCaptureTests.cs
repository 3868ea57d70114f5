using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Capture.Sources;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture.Sources;

/// <summary>
/// The fingerprint-scan strategy (<see cref="FingerprintScanCapture{T}"/>) through <see cref="GroupsCapture"/>,
/// which has no GET by id: <c>c</c>/<c>u</c>/no-op by fingerprint, a deletion only when a second listing agrees,
/// and the mass-deletion guard that waits one poll interval for an agreeing pass.
/// </summary>
public sealed class GroupsCaptureTests
{
    private readonly StrategyHarness _harness = new();
    private readonly GroupsCapture _groups = new(NullLogger<GroupsCapture>.Instance);

    [Fact]
    public async Task CaptureAsync_ListingChanges_EmitsCreateUpdateAndNothingForAnUnchangedGroup()
    {
        Listings([Group("g1", "Sales"), Group("g2", "Support")]);
        await _harness.RunAsync(_groups);
        Assert.Equal([("g1", ChangeOp.Create), ("g2", ChangeOp.Create)], Ops());

        Listings([Group("g1", "Sales EMEA"), Group("g2", "Support"), Group("g3", "Billing")]);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await _harness.RunAsync(_groups);

        Assert.Equal([("g1", ChangeOp.Update), ("g3", ChangeOp.Create)], Ops());
    }

    [Fact]
    public async Task CaptureAsync_UnchangedListing_EmitsNothing()
    {
        Listings([Group("g1", "Sales")]);
        await _harness.RunAsync(_groups);

        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await _harness.RunAsync(_groups);

        Assert.Empty(_harness.LastEvents);
    }

    [Fact]
    public async Task CaptureAsync_GroupMissingFromOneListingOnly_IsNotDeleted()
    {
        Listings([Group("g1", "a"), Group("g2", "b"), Group("g3", "c")]);
        await _harness.RunAsync(_groups);

        // the pass's listing skips g3; its confirming listing sees it again
        Listings([Group("g1", "a"), Group("g2", "b")], [Group("g1", "a"), Group("g2", "b"), Group("g3", "c")]);
        await _harness.RunAsync(_groups);

        Assert.Empty(_harness.LastEvents);
        Assert.True((await _harness.Store.GetFingerprintsAsync("groups", ["g3"])).ContainsKey("g3"));
    }

    [Fact]
    public async Task CaptureAsync_SecondListingAgrees_DeletesAndForgetsTheGroup()
    {
        Listings([Group("g1", "a"), Group("g2", "b"), Group("g3", "c")]);
        await _harness.RunAsync(_groups);

        Listings([Group("g1", "a"), Group("g2", "b")]);
        await _harness.RunAsync(_groups);

        var deleted = Assert.Single(_harness.LastEvents);
        Assert.Equal(("g3", ChangeOp.Delete), (deleted.Key.Id, deleted.Op));
        Assert.Equal(2, _harness.Freshchat.GroupListingCount - 1); // the pass's listing and the confirming one
        Assert.Empty(await _harness.Store.GetFingerprintsAsync("groups", ["g3"]));
    }

    [Fact]
    public async Task CaptureAsync_MassDeletion_IsHeldUntilAnAgreeingPassOnePollIntervalLater()
    {
        Listings([Group("g1", "a"), Group("g2", "b"), Group("g3", "c"), Group("g4", "d")]);
        await _harness.RunAsync(_groups);

        Listings([[]]); // one listing that returns nothing
        await _harness.RunAsync(_groups);
        Assert.Empty(_harness.LastEvents);
        Assert.NotEmpty((await _harness.Store.LoadMetaAsync())[MetaFields.DeletionsHeld("groups")]);

        _harness.Time.Advance(_harness.Options.PollInterval / 2);
        await _harness.RunAsync(_groups);
        Assert.Empty(_harness.LastEvents);

        _harness.Time.Advance(_harness.Options.PollInterval);
        await _harness.RunAsync(_groups);

        Assert.Equal(["g1", "g2", "g3", "g4"], _harness.LastEvents.Select(e => e.Key.Id).Order());
        Assert.All(_harness.LastEvents, e => Assert.Equal(ChangeOp.Delete, e.Op));
        Assert.Empty(await _harness.Store.GetFingerprintsAsync("groups", ["g1", "g2", "g3", "g4"]));
    }

    [Fact]
    public async Task CaptureAsync_FewMissing_IsNotAMassDeletionAndDeletesAtOnce()
    {
        Listings([Group("g1", "a"), Group("g2", "b"), Group("g3", "c"), Group("g4", "d"), Group("g5", "e")]);
        await _harness.RunAsync(_groups);

        Listings([Group("g1", "a"), Group("g2", "b"), Group("g3", "c")]);
        await _harness.RunAsync(_groups);

        Assert.Equal(["g4", "g5"], _harness.LastEvents.Select(e => e.Key.Id).Order());
    }

    [Fact]
    public async Task CaptureAsync_SnapshotMode_EmitsReadsAndDeletesNothing()
    {
        Listings([Group("g1", "a"), Group("g2", "b")]);
        await _harness.RunAsync(_groups);

        Listings([Group("g1", "a")]);
        await _harness.RunAsync(_groups, CaptureMode.Snapshot);

        var read = Assert.Single(_harness.LastEvents);
        Assert.Equal(("g1", ChangeOp.Snapshot), (read.Key.Id, read.Op));
    }

    private void Listings(params string[][] listings)
    {
        _harness.Freshchat.GroupListings.Clear();
        foreach (var listing in listings)
        {
            _harness.Freshchat.GroupListings.Enqueue(listing);
        }
    }

    private List<(string, ChangeOp)> Ops() => [.. _harness.LastEvents.Select(e => (e.Key.Id, e.Op)).OrderBy(p => p.Id, StringComparer.Ordinal)];

    private static string Group(string id, string name) => $$"""{"id":"{{id}}","name":"{{name}}"}""";
}
