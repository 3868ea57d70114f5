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

        builder.AddCapture(new CaptureRun(CaptureMode.Changes, CaptureResources.All, Once: true));

        var registered = builder.Services.Where(d => d.ServiceType == typeof(IResourceCapture)).Select(d => d.ImplementationType!).ToList();
        Assert.Equal(CaptureCatalogue.Strategies, registered);
    }

    [Fact]
    public void Catalogue_NamesAreUniquePublishedResourcesAndStrategiesAreCaptures()
    {
        var names = CaptureCatalogue.Resources.Select(r => r.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(CaptureCatalogue.Resources, r => Assert.Same(PublishedResources.Get(r.Name), r.Topic));
        Assert.All(CaptureCatalogue.Strategies, s => Assert.True(typeof(IResourceCapture).IsAssignableFrom(s), s.Name));
    }

    [Fact]
    public void CaptureResources_AllAndParse_FollowTheCatalogueOrder()
    {
        Assert.Equal(CaptureCatalogue.Resources.Select(r => r.Name), CaptureResources.All);
        Assert.Equal(["account_configuration", "users", "messages"], CaptureResources.Parse("messages,users,account_configuration"));
    }

    [Fact]
    public void OrderOf_StrategyServingSeveralResources_RunsAtItsFirstResource()
    {
        var agents = CaptureCatalogue.Resources.First(r => r.Name == CaptureResources.AgentAvailability).Strategy;
        var conversations = CaptureCatalogue.Resources.First(r => r.Name == CaptureResources.Messages).Strategy;

        Assert.True(CaptureCatalogue.OrderOf(agents) < CaptureCatalogue.OrderOf(conversations));
        Assert.Equal(CaptureCatalogue.Strategies.Count - 1, CaptureCatalogue.OrderOf(conversations));
        Assert.Equal(int.MaxValue, CaptureCatalogue.OrderOf(typeof(string)));
    }
}
