using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>The account configuration: one object, one request per cycle, <c>c</c>/<c>u</c> when its fingerprint changes.</summary>
public sealed class AccountConfigurationCapture : IResourceCapture
{
    public IReadOnlyList<string> Resources => [CaptureCatalogue.AccountConfiguration];

    public async Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        var resource = CaptureCatalogue.AccountConfigurationTopic;
        var configuration = await context.Freshchat.GetAccountConfigurationAsync(cancellationToken);
        var stored = await context.Store.GetFingerprintsAsync(resource.Resource, [configuration.AccountId], cancellationToken);
        var decision = ChangeDetector.Decide(configuration.Json, stored.GetValueOrDefault(configuration.AccountId), context.Mode, context.FirstSeenOp);
        if (decision.Op is { } op)
        {
            await context.Batch.AddAsync(context.Entity(resource, op, configuration.Json, "/v2/accounts/configuration", decision.Fingerprint), cancellationToken);
            context.Batch.State.SetFingerprint(resource.Resource, configuration.AccountId, decision.Fingerprint);
        }
    }
}
