using FreshchatStream.Consumers.Commands;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Tests.Unit.Consumers;

public sealed class LandedTopicsTests
{
    [Fact]
    public void Catalogue_MatchesThePublishedResourcesAndTheirCleanupPolicy()
    {
        Assert.Equal(CaptureCatalogue.Topics.Select(r => r.Resource).Order(), LandedTopics.All.Order());
        Assert.All(CaptureCatalogue.Topics, r => Assert.Equal(r.IsCompacted, LandedTopics.IsEntity(r.Resource)));
    }

    [Theory]
    [InlineData("duckdb", "--database")]
    [InlineData("duckdb", "--database", "x.db", "--topics", "users,bogus")]
    [InlineData("duckdb", "--database", "x.db", "--batch-size", "0")]
    [InlineData("replay", "--group", "g", "--topics", "users")]
    [InlineData("frobnicate")]
    public async Task Cli_Mistakes_ExitTwoWithOneLine(params string[] args)
    {
        using var error = new StringWriter();

        var code = await LanderCli.RunAsync([.. args, "--bootstrap-servers", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1"], TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }
}
