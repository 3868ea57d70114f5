using FreshchatStream.Sandbox.Freshchat;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Tests.Unit.Sandbox.Freshchat;

public sealed class GeneratedWorldTests
{
    [Theory]
    [InlineData(200, 0.2)]
    [InlineData(97, 1.0)]
    [InlineData(50, 2.6)]
    [InlineData(1000, 0.013)]
    public void OwnedConversations_IsInverseOfConversationOwner(int users, double ratio)
    {
        var world = new GeneratedWorld(new FreshchatEmulatorOptions { Users = users, ConversationsPerUser = ratio });
        var owned = Enumerable.Range(0, users).SelectMany(u => world.OwnedConversations(u).Select(j => (u, j))).ToList();
        Assert.Equal(Enumerable.Range(0, world.ConversationCount), owned.Select(p => p.j).Order());
        Assert.All(owned, p => Assert.Equal(p.u, world.ConversationOwner(p.j)));
    }

    [Fact]
    public void UserCreatedMs_IsNonDecreasingWithSomeTies_AndBeforeEpoch()
    {
        var world = new GeneratedWorld(new FreshchatEmulatorOptions { Users = 5000 });
        var times = Enumerable.Range(0, 5000).Select(world.UserCreatedMs).ToList();
        Assert.Equal(times.Order(), times);
        Assert.True(times.Distinct().Count() < times.Count);
        Assert.All(Enumerable.Range(0, 5000), i => Assert.InRange(world.UserUpdatedMs(i), times[i], world.EpochMs - 1));
    }

    [Fact]
    public void MessageMs_IsNonDecreasingAndEndsBeforeEpoch()
    {
        var world = new GeneratedWorld(new FreshchatEmulatorOptions { Users = 400, ConversationsPerUser = 0.5, MessagesPerConversation = 30 });
        for (var j = 0; j < world.ConversationCount; j++)
        {
            var n = world.MessageCount(j);
            var times = Enumerable.Range(0, n).Select(k => world.MessageMs(j, k)).ToList();
            Assert.Equal(times.Order(), times);
            Assert.True(times[0] > world.ConversationCreatedMs(j));
            Assert.True(times[^1] < world.EpochMs);
        }
    }

    [Fact]
    public void EntityIds_RoundTripAndRejectForgeries()
    {
        var ids = new EntityIds(42);
        foreach (var index in new long[] { 0, 1, 99_999, 1L << 40 })
        {
            var id = ids.Encode(HashStream.UserId, index);
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            Assert.Equal(index, ids.Decode(HashStream.UserId, id));
            Assert.Equal(-1, ids.Decode(HashStream.ConversationId, id));
            Assert.Equal(-1, new EntityIds(43).Decode(HashStream.UserId, id));
        }
        Assert.Equal(-1, ids.Decode(HashStream.UserId, "00000000-0000-4000-8000-000000000000"));
    }

    [Fact]
    public void UserRange_WithDeletionsAndCreatedUsers_MatchesBruteForceOrder()
    {
        var world = new GeneratedWorld(new FreshchatEmulatorOptions { Users = 300 });
        var deleted = new List<int> { 0, 5, 6, 7, 150, 299 };
        var created = new List<(int Key, long Ms)> { (300, world.UserCreatedMs(10)), (301, world.EpochMs + 5), (302, world.UserCreatedMs(200) + 1) };
        long? from = world.UserCreatedMs(3);
        long? to = world.UserCreatedMs(250);
        var range = new UserRange(world, deleted, created, from, to);
        var expected = Enumerable.Range(0, 300).Where(i => !deleted.Contains(i)).Select(i => (Key: i, Ms: world.UserCreatedMs(i)))
            .Concat(created).Where(u => u.Ms >= from && u.Ms <= to).OrderBy(u => u.Ms).ThenBy(u => u.Key).Select(u => u.Key).ToList();
        Assert.Equal(expected, range.Keys());
    }
}
