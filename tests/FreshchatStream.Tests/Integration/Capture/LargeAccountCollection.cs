namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// The 2,000-conversation <c>run --once</c> of <see cref="LargeAccountCaptureTests"/> runs by itself, after the
/// parallel classes. Started beside the reliability drills (four classes at a time, issue #18), its first run ended
/// 0.4–1.1% of the messages short in four CI passes out of four, while it passed alone, under CPU load, and beside
/// the other capture classes (five runs). The cause is not found yet; until it is, the test runs as it did before
/// the classes ran in parallel, and the shortfall is an open finding (see the closing note of issues #18/#21).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeAccountCollection
{
    public const string Name = "large account (by itself)";
}
