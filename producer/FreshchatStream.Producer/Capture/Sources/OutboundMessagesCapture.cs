using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// Outbound (WhatsApp) messages where the account's API lists them: a fingerprint scan keyed by
/// <c>message_id</c>, so a status change (Accepted → Sent → Delivered/Failed) is a <c>u</c>. Where the API only
/// answers for a given <c>request_id</c>, polling cannot see them: that is logged once per process, recorded for
/// <c>status</c>, and the pass counts as done rather than failing every cycle; it is asked again only at
/// <c>Capture:ReconcileInterval</c>, as a 403 is, since a refusal every cycle is a request spent for nothing.
/// Outbound messages are never deleted by inference (they age out of the API, they are not removed).
/// </summary>
public sealed class OutboundMessagesCapture(ILogger<OutboundMessagesCapture> logger) : FingerprintScanCapture<OutboundMessage>(logger)
{
    private bool _reportedUnsupported;

    /// <summary>When this process last found the listing refused for want of a <c>request_id</c>.</summary>
    private DateTimeOffset? _unsupportedAt;

    protected override TopicDescriptor Topic => CaptureCatalogue.OutboundMessagesTopic;

    protected override string ListEndpoint => "/v2/outbound-messages";

    protected override IAsyncEnumerable<OutboundMessage> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken) =>
        freshchat.ListOutboundMessagesAsync(null, cancellationToken);

    protected override string IdOf(OutboundMessage entity) =>
        entity.MessageId ?? throw new InvalidDataException("An outbound message without 'message_id'.");

    protected override Task<IReadOnlyCollection<string>> ConfirmMissingAsync(CaptureContext context, IReadOnlyCollection<string> candidates, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>([]);

    public override async Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        if (_unsupportedAt is { } refused && context.Mode == CaptureMode.Changes && context.Now >= refused && context.Now - refused < context.Options.ReconcileInterval)
        {
            return; // refused for want of a request_id; status still shows it (the meta field stays)
        }

        try
        {
            await base.CaptureAsync(context, cancellationToken);
            context.Batch.State.SetMeta(MetaFields.Unsupported(Topic.Resource), string.Empty);
            _unsupportedAt = null;
        }
        catch (FreshchatRequestIdRequiredException e)
        {
            _unsupportedAt = context.Now;
            context.Batch.State.SetMeta(MetaFields.Unsupported(Topic.Resource), "the API lists outbound messages only for a given request_id");
            if (!_reportedUnsupported)
            {
                _reportedUnsupported = true;
                Log.OutboundUnsupported(Logger, e.Message);
            }
        }
    }
}
