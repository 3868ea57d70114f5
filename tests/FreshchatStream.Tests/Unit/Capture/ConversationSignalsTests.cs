using FreshchatStream.Producer.Capture;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class ConversationSignalsTests
{
    [Fact]
    public void Drain_MessagesOnlyUnlessAnySignalAskedForTheConversation()
    {
        var signals = new ConversationSignals();
        signals.Signal("a", messagesOnly: true);
        signals.Signal("a", messagesOnly: true);
        signals.Signal("b", messagesOnly: true);
        signals.Signal("b");
        signals.Signal("c");
        signals.Signal("c", messagesOnly: true);

        var drained = signals.Drain();

        Assert.Equal(new Dictionary<string, bool> { ["a"] = true, ["b"] = false, ["c"] = false }, drained);
        Assert.Empty(signals.Drain());
        Assert.False(signals.HasPending);
    }

    [Fact]
    public async Task WaitAsync_CompletesOnASignal_AndAtOnceWhileOneIsPending()
    {
        var signals = new ConversationSignals();
        var waiting = signals.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        signals.Signal("a");
        signals.Signal("b"); // a second wake-up while one is pending is absorbed

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        await signals.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        signals.Drain();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signals.WaitAsync(cancel.Token));
    }
}
