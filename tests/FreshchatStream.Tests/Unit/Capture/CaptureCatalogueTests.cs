using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FreshchatStream.Tests.Unit.Capture;

/// <summary>The resource catalogue is the one list: registration, cycle order and validation follow it.</summary>
public sealed class CaptureCatalogueTests
{
    [Fact]
    [Trait("Issue", "#18")]
    public void AddCapture_RegistersEveryStrategyOnceInCatalogueOrder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Freshchat:BaseUrl"] = "https://acme.freshchat.com/v2" });

        builder.AddCapture(new CaptureRun(CaptureMode.Changes, CaptureCatalogue.Names, Once: true));

        var registered = builder.Services.Where(d => d.ServiceType == typeof(IResourceCapture)).Select(d => d.ImplementationType!).ToList();
        Assert.Equal(CaptureCatalogue.Strategies, registered);
    }

    [Fact]
    [Trait("Issue", "#18")]
    public void Resources_AreInCaptureOrder_CataloguesFirstThenUsersReportsConversations()
    {
        Assert.Equal(
            ["account_configuration", "roles", "groups", "channels", "agents", "agent_availability", "outbound_messages", "users", "report_events", "conversations", "messages"],
            CaptureCatalogue.Names);
        Assert.Equal(CaptureCatalogue.Resources.Select(r => r.Name), CaptureCatalogue.Names);
    }

    [Fact]
    public void Catalogue_NamesAreUniqueAndStrategiesAreCaptures()
    {
        var names = CaptureCatalogue.Resources.Select(r => r.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(CaptureCatalogue.Resources, r => Assert.Same(CaptureCatalogue.Topic(r.Name), r.Topic));
        Assert.All(CaptureCatalogue.Strategies, s => Assert.True(typeof(IResourceCapture).IsAssignableFrom(s), s.Name));
    }

    [Fact]
    [Trait("Issue", "#18")]
    public void Topics_AreEveryCapturedResourceThenHeartbeatAndWebhookEvents_WithTheirSchemasAndShapes()
    {
        Assert.Equal([.. CaptureCatalogue.Names, "heartbeat", "webhook_events"], CaptureCatalogue.Topics.Select(t => t.Resource));
        Assert.Equal(CaptureCatalogue.Topics.Count, CaptureCatalogue.Topics.Select(t => t.ValueSchemaFile).Distinct().Count());
        Assert.Equal("freshchat.user.avsc", CaptureCatalogue.UsersTopic.ValueSchemaFile);
        Assert.Equal(TopicDescriptor.EntityKeySchemaFile, CaptureCatalogue.UsersTopic.KeySchemaFile);
        Assert.Equal(TopicDescriptor.MessageKeySchemaFile, CaptureCatalogue.MessagesTopic.KeySchemaFile);
        Assert.Equal(
            ["account_configuration", "roles", "groups", "channels", "agents", "outbound_messages", "users", "conversations"],
            CaptureCatalogue.Topics.Where(t => t.IsCompacted).Select(t => t.Resource));
    }

    [Fact]
    public void Topic_UnknownName_FailsListingTheKnownOnes()
    {
        var failure = Assert.Throws<ArgumentException>(() => CaptureCatalogue.Topic("tickets"));

        Assert.Contains("'tickets'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("webhook_events", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyMeansAll_AndKeepsCaptureOrderWhateverTheInputOrder()
    {
        Assert.Equal(CaptureCatalogue.Names, CaptureCatalogue.Parse(null));
        Assert.Equal(CaptureCatalogue.Names, CaptureCatalogue.Parse(" "));
        Assert.Equal(["account_configuration", "users", "messages"], CaptureCatalogue.Parse("messages,users,account_configuration"));
    }

    [Theory]
    [Trait("Issue", "#18")]
    [InlineData("users,tickets", "tickets")]
    [InlineData("heartbeat", "heartbeat")]
    public void Parse_UnknownOrUncapturedResource_FailsNamingTheKeyAndTheValidNames(string value, string unknown)
    {
        var failure = Assert.Throws<ArgumentException>(() => CaptureCatalogue.Parse(value));

        Assert.Equal($"Capture:Resources contains unknown resource(s) {unknown}; valid: {string.Join(", ", CaptureCatalogue.Names)}.", failure.Message);
    }

    [Fact]
    public void OrderOf_StrategyServingSeveralResources_RunsAtItsFirstResource()
    {
        var agents = CaptureCatalogue.Resources.First(r => r.Name == CaptureCatalogue.AgentAvailability).Strategy;
        var conversations = CaptureCatalogue.Resources.First(r => r.Name == CaptureCatalogue.Messages).Strategy;

        Assert.True(CaptureCatalogue.OrderOf(agents) < CaptureCatalogue.OrderOf(conversations));
        Assert.Equal(CaptureCatalogue.Strategies.Count - 1, CaptureCatalogue.OrderOf(conversations));
        Assert.Equal(int.MaxValue, CaptureCatalogue.OrderOf(typeof(string)));
    }
}
