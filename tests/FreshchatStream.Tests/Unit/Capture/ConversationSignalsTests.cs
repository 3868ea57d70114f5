using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class ConversationSignalsTests
{
    [Theory]
    [InlineData(ConversationSignal.Messages, ConversationSignal.Messages, ConversationSignal.Messages)]
    [InlineData(ConversationSignal.Status, ConversationSignal.Status, ConversationSignal.Status)]
    [InlineData(ConversationSignal.Messages, ConversationSignal.Status, ConversationSignal.Full)]
    [InlineData(ConversationSignal.Status, ConversationSignal.Messages, ConversationSignal.Full)]
    [InlineData(ConversationSignal.Messages, ConversationSignal.Full, ConversationSignal.Full)]
    [InlineData(ConversationSignal.Full, ConversationSignal.Status, ConversationSignal.Full)]
    [InlineData(ConversationSignal.Full, ConversationSignal.Full, ConversationSignal.Full)]
    public void Merge_KeepsTheKindOnlyWhileEverySignalIsOfIt(ConversationSignal pending, ConversationSignal arriving, ConversationSignal merged)
    {
        Assert.Equal(merged, IConversationSignalStore.Merge(pending, arriving));
    }

    [Fact]
    [Trait("Issue", "#21")]
    public async Task TakeAsync_StatusSignals_StayStatusUnlessAMessageSignalJoinsThem()
    {
        var signals = new ConversationSignals();
        await signals.SignalAsync("s", ConversationSignal.Status, CancellationToken.None);
        await signals.SignalAsync("s", ConversationSignal.Status, CancellationToken.None);
        await signals.SignalAsync("sm", ConversationSignal.Status, CancellationToken.None);
        await signals.SignalAsync("sm", ConversationSignal.Messages, CancellationToken.None);

        var taken = await signals.TakeAsync(CancellationToken.None);

        Assert.Equal(new Dictionary<string, ConversationSignal> { ["s"] = ConversationSignal.Status, ["sm"] = ConversationSignal.Full }, taken);
    }

    [Fact]
    public async Task TakeAsync_MessagesOnlyUnlessAnySignalAskedForTheConversation()
    {
        var signals = new ConversationSignals();
        await signals.SignalAsync("a", ConversationSignal.Messages, CancellationToken.None);
        await signals.SignalAsync("a", ConversationSignal.Messages, CancellationToken.None);
        await signals.SignalAsync("b", ConversationSignal.Messages, CancellationToken.None);
        await signals.SignalAsync("b", ConversationSignal.Full, CancellationToken.None);
        await signals.SignalAsync("c", ConversationSignal.Full, CancellationToken.None);
        await signals.SignalAsync("c", ConversationSignal.Messages, CancellationToken.None);

        var taken = await signals.TakeAsync(CancellationToken.None);

        Assert.Equal(new Dictionary<string, ConversationSignal> { ["a"] = ConversationSignal.Messages, ["b"] = ConversationSignal.Full, ["c"] = ConversationSignal.Full }, taken);
        Assert.Empty(await signals.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_CompletesOnASignal_AndAtOnceWhileOneIsPending()
    {
        var signals = new ConversationSignals();
        var waiting = signals.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await signals.SignalAsync("a", ConversationSignal.Full, CancellationToken.None);
        await signals.SignalAsync("b", ConversationSignal.Full, CancellationToken.None); // a second wake-up while one is pending is absorbed

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        await signals.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await signals.TakeAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signals.WaitAsync(cancel.Token));
    }

    [Fact]
    public async Task WaitAsync_ASignalRecordedByAnotherInstance_WakesTheCapturer_AndOneRecordedBeforeItWaitedToo()
    {
        var shared = new InMemoryConversationSignalStore();
        var ingress = new ConversationSignals(shared, NullLogger<ConversationSignals>.Instance);
        var earlier = new ConversationSignals(shared, NullLogger<ConversationSignals>.Instance);
        await ingress.SignalAsync("before", ConversationSignal.Messages, CancellationToken.None);
        await earlier.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); // recorded while nobody captured
        Assert.Equal(["before"], (await earlier.TakeAsync(CancellationToken.None)).Keys);

        var capturer = new ConversationSignals(shared, NullLogger<ConversationSignals>.Instance);
        await capturer.TakeAsync(CancellationToken.None);
        var waiting = capturer.WaitAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        await ingress.SignalAsync("x", ConversationSignal.Full, CancellationToken.None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new Dictionary<string, ConversationSignal> { ["x"] = ConversationSignal.Full }, await capturer.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_StoreUnreachable_WaitsInsteadOfFailing_AndWakesOnceItAnswersAgain()
    {
        var store = new UnreachableThenWorkingStore();
        var signals = new ConversationSignals(store, NullLogger<ConversationSignals>.Instance);

        using var cycle = new CancellationTokenSource();
        var waiting = signals.WaitAsync(cycle.Token);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted); // not faulted: the worker would otherwise spin on push cycles
        await cycle.CancelAsync(); // the regular cycle came first
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        store.Reachable = true;
        await store.RecordAsync("a", ConversationSignal.Full); // by another instance, while this one was not subscribed
        await signals.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); // the next wait subscribes again and looks
        Assert.Equal(1, store.Subscribers);
    }

    /// <summary>A store that throws like an unreachable Redis until <see cref="Reachable"/> is set.</summary>
    private sealed class UnreachableThenWorkingStore : IConversationSignalStore
    {
        private readonly InMemoryConversationSignalStore _inner = new();

        public bool Reachable { get; set; }

        public int Subscribers { get; private set; }

        public Task RecordAsync(string conversationId, ConversationSignal signal, CancellationToken cancellationToken = default) =>
            Reachable ? _inner.RecordAsync(conversationId, signal, cancellationToken) : throw Unreachable();

        public Task<IReadOnlyDictionary<string, ConversationSignal>> TakeAsync(CancellationToken cancellationToken = default) =>
            Reachable ? _inner.TakeAsync(cancellationToken) : throw Unreachable();

        public Task<bool> HasPendingAsync(CancellationToken cancellationToken = default) =>
            Reachable ? _inner.HasPendingAsync(cancellationToken) : throw Unreachable();

        public Task SubscribeAsync(Action recorded, CancellationToken cancellationToken = default)
        {
            if (!Reachable)
            {
                throw Unreachable();
            }

            Subscribers++;
            return _inner.SubscribeAsync(recorded, cancellationToken);
        }

        private static CursorStoreUnavailableException Unreachable() => new("Redis at 127.0.0.1:1 is unavailable.");
    }
}
