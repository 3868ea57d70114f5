using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Groups: fingerprint scan of <c>GET /groups</c>; deletions confirmed by a second listing (no GET by id).</summary>
public sealed class GroupsCapture(ILogger<GroupsCapture> logger) : FingerprintScanCapture<FreshchatGroup>(logger)
{
    protected override TopicDescriptor Topic => PublishedResources.Groups;

    protected override string ListEndpoint => "/v2/groups";

    protected override IAsyncEnumerable<FreshchatGroup> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListGroupsAsync(cancellationToken);

    protected override string IdOf(FreshchatGroup entity) => entity.Id;
}

/// <summary>Channels (topics): fingerprint scan of <c>GET /channels</c>; deletions confirmed by a second listing.</summary>
public sealed class ChannelsCapture(ILogger<ChannelsCapture> logger) : FingerprintScanCapture<FreshchatChannel>(logger)
{
    protected override TopicDescriptor Topic => PublishedResources.Channels;

    protected override string ListEndpoint => "/v2/channels";

    protected override IAsyncEnumerable<FreshchatChannel> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListChannelsAsync(cancellationToken);

    protected override string IdOf(FreshchatChannel entity) => entity.Id;
}

/// <summary>Roles: fingerprint scan of <c>GET /roles</c>; deletions confirmed by a second listing.</summary>
public sealed class RolesCapture(ILogger<RolesCapture> logger) : FingerprintScanCapture<FreshchatRole>(logger)
{
    protected override TopicDescriptor Topic => PublishedResources.Roles;

    protected override string ListEndpoint => "/v2/roles";

    protected override IAsyncEnumerable<FreshchatRole> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListRolesAsync(cancellationToken);

    protected override string IdOf(FreshchatRole entity) => entity.Id;
}
