using FreshchatStream.Producer.Publishing.Kafka;

namespace FreshchatStream.Tests.Unit.Capture;

/// <summary>Topics that hold nothing of the account yet: a fresh deployment for <see cref="FreshchatStream.Producer.Capture.StateLossRecovery"/>.</summary>
internal sealed class EmptyPublishedHistory : IPublishedHistory
{
    public long CountCaptured() => 0;
}
