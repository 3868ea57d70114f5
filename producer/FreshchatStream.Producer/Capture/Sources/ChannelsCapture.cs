using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>Channels (topics): fingerprint scan of <c>GET /channels</c>; deletions confirmed by a second listing.</summary>
public sealed class ChannelsCapture(ILogger<ChannelsCapture> logger) : FingerprintScanCapture<FreshchatChannel>(logger)
{
    protected override TopicDescriptor Topic => CaptureCatalogue.ChannelsTopic;

    protected override string ListEndpoint => "/v2/channels";

    protected override IAsyncEnumerable<FreshchatChannel> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListChannelsAsync(cancellationToken);

    protected override string IdOf(FreshchatChannel entity) => entity.Id;
}
