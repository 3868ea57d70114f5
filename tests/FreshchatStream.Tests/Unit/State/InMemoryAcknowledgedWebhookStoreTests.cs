using FreshchatStream.Producer.State;
using Microsoft.Extensions.Time.Testing;

namespace FreshchatStream.Tests.Unit.State;

public sealed class InMemoryAcknowledgedWebhookStoreTests
{
    [Fact]
    public async Task MarkAcknowledged_RemembersForTheTtlOfTheFirstMark()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new InMemoryAcknowledgedWebhookStore(time);
        Assert.False(await store.IsAcknowledgedAsync("w1"));

        await store.MarkAcknowledgedAsync("w1", TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromMinutes(50));
        await store.MarkAcknowledgedAsync("w1", TimeSpan.FromHours(1)); // NX: does not extend
        Assert.True(await store.IsAcknowledgedAsync("w1"));
        Assert.False(await store.IsAcknowledgedAsync("w2"));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(await store.IsAcknowledgedAsync("w1"));
    }
}
