using FreshchatStream.Producer.Freshchat;

namespace FreshchatStream.Tests.Unit.Freshchat;

/// <summary>Per-pass request counts stay exact while passes run concurrently (status shows each pass's requests).</summary>
[Trait("Issue", "#21")]
public sealed class RequestTallyTests
{
    [Fact]
    public async Task CountRequests_ConcurrentFlows_EachCountsOnlyItsOwnAttempts()
    {
        using var metrics = new FreshchatMetrics();
        var gate = new SemaphoreSlim(0);

        async Task<long> PassAsync(int attempts)
        {
            using var tally = metrics.CountRequests();
            await gate.WaitAsync();
            for (var i = 0; i < attempts; i++)
            {
                await Task.Yield();
                metrics.Attempt("GET /v2/groups", 200);
            }

            return tally.Count;
        }

        var first = PassAsync(3);
        var second = PassAsync(5);
        metrics.Attempt("GET /v2/users", 200); // outside both passes
        gate.Release(2);

        var counts = await Task.WhenAll(first, second);
        Assert.Equal([3L, 5L], counts);
        Assert.Equal(9, metrics.RequestsSent);
    }
}
