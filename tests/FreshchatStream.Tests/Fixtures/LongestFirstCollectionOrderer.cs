using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("FreshchatStream.Tests.Fixtures.LongestFirstCollectionOrderer", "FreshchatStream.Tests")]

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// Starts the collections that run longest first — classes marked <see cref="LongRunningAttribute"/>, then the
/// other reliability, capture and integration classes — and the many short unit-test classes last, where they
/// fill the slots the long ones leave. xunit's default order (a hash of the name) could start a two-minute class
/// when everything else is done and leave the run waiting on it alone.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    private const string ClassCollectionPrefix = "Test collection for ";
    private static readonly string[] LongestFirst = [".Integration.Reliability.", ".Integration.Capture.", ".Integration."];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    // A class's own collection is named after the class. A shared one is told by its definition's namespace; those
    // defined in Fixtures (Redis, PostgreSQL, mock Kafka, the emulator) hold integration tests only.
    private static int Rank(ITestCollection collection)
    {
        if (IsLongRunning(collection))
        {
            return -1;
        }

        var name = collection.CollectionDefinition?.Name ?? collection.DisplayName;
        var rank = Array.FindIndex(LongestFirst, part => name.Contains(part, StringComparison.Ordinal));
        return rank >= 0 ? rank : collection.CollectionDefinition is null ? LongestFirst.Length : LongestFirst.Length - 1;
    }

    private static bool IsLongRunning(ITestCollection collection) =>
        collection.CollectionDefinition is null
        && collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
        && typeof(LongestFirstCollectionOrderer).Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..].Trim()) is { } type
        && type.IsDefined(typeof(LongRunningAttribute), inherit: false);
}
