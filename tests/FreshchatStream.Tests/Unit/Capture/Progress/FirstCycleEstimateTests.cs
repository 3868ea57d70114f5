using FreshchatStream.Producer.Capture.Progress;

namespace FreshchatStream.Tests.Unit.Capture.Progress;

/// <summary>The first-cycle estimate counts the requests the listing revealed: user pages, one conversation list per user, conversations × (1 + a message page).</summary>
[Trait("Issue", "#23")]
public sealed class FirstCycleEstimateTests
{
    [Fact]
    public void Derive_AheadOfTheCycle_CountsPagesListsAndConversations()
    {
        var estimate = FirstCycleEstimate.Derive(users: 1_000, usersPerPage: 100, sampledUsers: 20, sampledConversations: 4, requestsSpent: 0, discoveryDone: 0,
            budgetPerMinute: 200, discoveryPerCycle: 1_000, maxPerCycle: 1_000);

        Assert.Equal(200, estimate.Conversations);
        Assert.Equal(10 + 1_000 + 200 * 2, estimate.Requests);
        Assert.Equal(TimeSpan.FromMinutes(1_410 / 200.0), estimate.Duration);
        Assert.Equal(1, estimate.Cycles);
        Assert.StartsWith("first cycle on this account: about 1,410 requests, about 7 min at 200/min; raise Freshchat:RequestsPerMinute if your account allows more (1,000 users: 10 list page(s)",
            estimate.Describe());
    }

    [Fact]
    public void Derive_MidCycle_CountsWhatWasSpentAndOnlyTheListsNotYetRead()
    {
        var estimate = FirstCycleEstimate.Derive(users: 300, usersPerPage: null, sampledUsers: 20, sampledConversations: 5, requestsSpent: 40, discoveryDone: 20,
            budgetPerMinute: 600, discoveryPerCycle: 1_000, maxPerCycle: 1_000);

        Assert.Equal(75, estimate.Conversations);
        Assert.Equal(0, estimate.UserListPages);
        Assert.Equal(40 + 280 + 75 * 2, estimate.Requests);
    }

    [Fact]
    public void Derive_LargeAccount_SaysHowManyCyclesThePerCycleLimitsSpreadItOver()
    {
        var estimate = FirstCycleEstimate.Derive(users: 100_000, usersPerPage: 50, sampledUsers: 20, sampledConversations: 40, requestsSpent: 0, discoveryDone: 0,
            budgetPerMinute: 200, discoveryPerCycle: 1_000, maxPerCycle: 1_000);

        Assert.Equal(200, estimate.Cycles); // 200,000 conversations at 1,000 a cycle
        Assert.Equal(2_000 + 100_000 + 200_000 * 2, estimate.Requests);
        Assert.Contains("about 41 h 50 min at 200/min", estimate.Describe());
        Assert.Contains("spread over about 200 cycles", estimate.Describe());
    }

    [Fact]
    public void Derive_BeforeAnyConversationListWasRead_IsALowerBoundThatSaysSo()
    {
        var estimate = FirstCycleEstimate.Derive(users: 100_000, usersPerPage: 50, sampledUsers: 0, sampledConversations: 0, requestsSpent: 9, discoveryDone: 0,
            budgetPerMinute: 200, discoveryPerCycle: 1_000, maxPerCycle: 1_000);

        Assert.True(estimate.Preliminary);
        Assert.Equal(9 + 2_000 + 100_000, estimate.Requests);
        Assert.Equal("first cycle on this account: at least 102,009 requests, at least 8 h 30 min at 200/min; raise Freshchat:RequestsPerMinute if your account allows more " +
            "(100,000 users: 2,000 list page(s) and 100,000 conversation lists; their conversations are counted once the first 20 lists were read)", estimate.Describe());
    }

    [Fact]
    public void Derive_NoUsers_IsJustWhatWasSpent()
    {
        var estimate = FirstCycleEstimate.Derive(users: 0, usersPerPage: null, sampledUsers: 0, sampledConversations: 0, requestsSpent: 12, discoveryDone: 0,
            budgetPerMinute: 200, discoveryPerCycle: 1_000, maxPerCycle: 1_000);

        Assert.Equal(12, estimate.Requests);
        Assert.Equal(0, estimate.Conversations);
    }
}
