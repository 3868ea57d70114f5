using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Roles: fingerprint scan of <c>GET /roles</c>; deletions confirmed by a second listing.</summary>
public sealed class RolesCapture(ILogger<RolesCapture> logger) : FingerprintScanCapture<FreshchatRole>(logger)
{
    protected override TopicDescriptor Topic => CaptureCatalogue.RolesTopic;

    protected override string ListEndpoint => "/v2/roles";

    protected override IAsyncEnumerable<FreshchatRole> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListRolesAsync(cancellationToken);

    protected override string IdOf(FreshchatRole entity) => entity.Id;
}
