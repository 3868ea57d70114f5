using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Reliability;

/// <summary>
/// Freshchat's data moving under a running producer: an entity vanishing between list and get, a listing whose
/// total changes mid-scan, and the emulator's clock ahead of or behind the producer's. The drills are
/// <see cref="FreshchatFaultTests"/>'s; this class exists so that these scenarios run in parallel with the other
/// Freshchat faults, on a stack of their own.
/// </summary>
[Trait("Category", "Reliability")]
[LongRunning]
public sealed class FreshchatListingFaultTests(CaptureStackFixture stack, ReliabilityLedger ledger) : IClassFixture<CaptureStackFixture>, IClassFixture<ReliabilityLedger>
{
    [Theory]
    [InlineData("entity vanishes between list and get")]
    [InlineData("listing total changes mid-scan")]
    public Task Run_UnderFreshchatFault_LosesNothing(string fault) => FreshchatFaultTests.RunUnderFaultAsync(stack, ledger, fault);

    [Theory]
    [InlineData(+10)]
    [InlineData(-10)]
    public Task Run_FreshchatClockSkewed_LosesNothing(int minutes) => FreshchatFaultTests.RunClockSkewedAsync(stack, ledger, minutes);
}
