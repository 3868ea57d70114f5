using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Groups: fingerprint scan of <c>GET /groups</c>; deletions confirmed by a second listing (no GET by id).</summary>
public sealed class GroupsCapture(ILogger<GroupsCapture> logger) : FingerprintScanCapture<FreshchatGroup>(logger)
{
    protected override TopicDescriptor Topic => CaptureCatalogue.GroupsTopic;

    protected override string ListEndpoint => "/v2/groups";

    protected override IAsyncEnumerable<FreshchatGroup> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListGroupsAsync(cancellationToken);

    protected override string IdOf(FreshchatGroup entity) => entity.Id;
}
