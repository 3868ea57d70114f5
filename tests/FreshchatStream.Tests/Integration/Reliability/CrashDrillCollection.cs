namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// <see cref="CrashTests"/> alone, after every parallel class of the run: its 20 SIGKILLs must land while the child
/// producer publishes, and with other classes competing for two cores a child's start-up and first batches
/// stretched so far that in two parallel runs 0 and 1 of the 20 kills did (the test requires 5).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashDrillCollection
{
    public const string Name = "crash drill (runs alone: its kill moments are timed)";
}
