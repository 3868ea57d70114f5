using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Freshchat answering badly under a running producer: requests never answered, truncated or malformed JSON pages,
/// fields of an unexpected type. The drill is <see cref="FreshchatFaultTests.RunUnderFaultAsync"/>; this class
/// exists so that these scenarios run in parallel with the other Freshchat faults, on a stack of their own.
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class FreshchatPageFaultTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    [Theory]
    [InlineData("timeouts")]
    [InlineData("truncated or malformed JSON pages")]
    [InlineData("fields of an unexpected type")]
    public Task Run_UnderFreshchatFault_LosesNothing(string fault) => FreshchatFaultTests.RunUnderFaultAsync(stack, ledger, fault);
}
