using System.Runtime.CompilerServices;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Overlaps the Freshchat reads of independent items (due conversations, users' conversation lists) while their
/// results are applied strictly in input order on the caller's flow: a conversation's events stay contiguous
/// and in <c>created_time</c> order, the <see cref="CaptureBatch"/> is only ever used by one caller, and each
/// cursor is staged with the last events it covers. Reads run at most <c>width</c> items ahead; the client's gate
/// and token bucket bound the requests themselves.
/// </summary>
public static class OrderedFetch
{
    /// <summary>
    /// How many items to read ahead on <paramref name="client"/>: several times its concurrency, so one item held up
    /// (a 429's Retry-After, a long message history) does not stall the others behind it while its result is awaited
    /// in order; the client's gate still keeps at most <see cref="Freshchat.IFreshchatClient.MaxConcurrency"/> requests in flight.
    /// </summary>
    public static int ReadAhead(Freshchat.IFreshchatClient client) => Math.Max(1, client.MaxConcurrency) * 4;

    public static async IAsyncEnumerable<(TItem Item, TResult Result)> InOrderAsync<TItem, TResult>(IAsyncEnumerable<TItem> items, int width,
        Func<TItem, CancellationToken, Task<TResult>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var window = new Queue<(TItem Item, Task<TResult> Result)>();
        var source = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            var more = true;
            while (true)
            {
                while (more && window.Count < Math.Max(1, width))
                {
                    more = await source.MoveNextAsync();
                    if (more)
                    {
                        var item = source.Current;
                        window.Enqueue((item, fetch(item, stop.Token)));
                    }
                }

                if (window.Count == 0)
                {
                    yield break;
                }

                var (next, result) = window.Dequeue();
                yield return (next, await result);
            }
        }
        finally
        {
            // Stopped early (a read failed, the consumer failed, or shutdown): the reads still running are cancelled
            // and awaited, so none outlives the pass or leaves an unobserved failure behind.
            await stop.CancelAsync();
            while (window.TryDequeue(out var pending))
            {
                try
                {
                    await pending.Result;
                }
                catch (Exception)
                {
                    // Observed on purpose: the pass already ends with the first failure (or the stop); later ones add nothing.
                }
            }

            await source.DisposeAsync();
        }
    }
}
