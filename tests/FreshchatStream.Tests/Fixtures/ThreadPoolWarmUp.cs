using System.Runtime.CompilerServices;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// Test collections run in parallel on 2 cores and many of them block pool threads in synchronous Kafka
/// consumers (reading topics back). With the default minimum (one thread per core) the pool grows only about one
/// thread per half second when starved, which stalls unrelated async continuations — StackExchange.Redis replies
/// among them — past the fixtures' 2-second Redis timeout. A higher floor keeps those stalls out of the results.
/// </summary>
internal static class ThreadPoolWarmUp
{
    [ModuleInitializer]
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completionPorts, 64));
    }
}
