using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// One entry of <see cref="CaptureCatalogue"/>: a captured resource's topic descriptor (name, schema, key shape,
/// cleanup) and the strategy type (an <see cref="IResourceCapture"/>) that produces it.
/// </summary>
public sealed record CapturedResource(TopicDescriptor Topic, Type Strategy)
{
    public string Name => Topic.Resource;
}
