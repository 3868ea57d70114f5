using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat.Data;

/// <summary>
/// The users whose created_time lies in [from, to], ordered by (created_time, key), as a random-access view:
/// generated users are a binary-searched index range minus deletions, created users are merged in by time.
/// Paging through it costs O(page · log n), whatever the number of users.
/// </summary>
internal sealed class UserRange
{
    private readonly GeneratedWorld _world;
    private readonly IReadOnlyList<int> _deleted;
    private readonly int _lo;
    private readonly int _dLo;
    private readonly int _generatedCount;
    private readonly (int Key, long Ms)[] _created;
    private readonly int[] _createdPositions;

    public UserRange(GeneratedWorld world, IReadOnlyList<int> deletedGeneratedSorted, IEnumerable<(int Key, long Ms)> createdUsers, long? from, long? to)
    {
        _world = world;
        _deleted = deletedGeneratedSorted;
        _lo = from is { } f ? world.FirstUserAtOrAfter(f) : 0;
        var hi = Math.Max(_lo, to is { } t ? world.FirstUserAfter(t) : world.UserCount);
        _dLo = LowerBound(_deleted, _lo);
        _generatedCount = hi - _lo - (LowerBound(_deleted, hi) - _dLo);
        _created = [.. createdUsers.Where(c => (from is null || c.Ms >= from) && (to is null || c.Ms <= to)).OrderBy(c => c.Ms).ThenBy(c => c.Key)];
        _createdPositions = new int[_created.Length];
        for (var m = 0; m < _created.Length; m++)
        {
            var after = Math.Clamp(world.FirstUserAfter(_created[m].Ms), _lo, hi);
            var generatedBefore = after - _lo - (LowerBound(_deleted, after) - _dLo);
            _createdPositions[m] = m + generatedBefore;
        }
    }

    public int Count => _generatedCount + _created.Length;

    public int KeyAt(int rank)
    {
        var found = Array.BinarySearch(_createdPositions, rank);
        if (found >= 0) return _created[found].Key;
        return GeneratedAt(rank - ~found);
    }

    public IEnumerable<int> Keys()
    {
        for (var r = 0; r < Count; r++) yield return KeyAt(r);
    }

    private int GeneratedAt(int rank)
    {
        var x = _lo + rank;
        while (true)
        {
            var next = _lo + rank + (LowerBound(_deleted, x + 1) - _dLo);
            if (next == x) return x;
            x = next;
        }
    }

    internal static int LowerBound(IReadOnlyList<int> sorted, int value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (sorted[mid] >= value) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
