using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class CaptureOptionsTests
{
    private static CaptureOptions Bind(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddOptionsWithValidateOnStart<CaptureOptions>().BindConfiguration(CaptureOptions.Section).ValidateDataAnnotations();
        builder.Services.AddSingleton<IValidateOptions<CaptureOptions>, CaptureOptionsValidator>();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<CaptureOptions>>().Value;
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = Bind();

        Assert.Equal(TimeSpan.FromSeconds(30), options.PollInterval);
        Assert.Equal(TimeSpan.FromHours(1), options.ReconcileInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CatalogueInterval);
        Assert.Equal(CaptureCatalogue.Names, options.SelectedResources());
    }

    [Theory]
    [InlineData("Capture:PollInterval", "00:00:00", "Capture:PollInterval")]
    [InlineData("Capture:ReconcileInterval", "00:00:10", "Capture:ReconcileInterval")]
    [InlineData("Capture:CatalogueInterval", "-00:00:01", "Capture:CatalogueInterval")]
    [InlineData("Capture:CatalogueInterval", "2.00:00:00", "Capture:CatalogueInterval")]
    [InlineData("Capture:Resources", "users,conversationz", "Capture:Resources")]
    [InlineData("Capture:BatchSize", "0", "Capture:BatchSize")]
    public void Invalid_FailsNamingTheKey(string key, string value, string named)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains(failure.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Resources_ParsesCaseAndSpacesAndKeepsCaptureOrder()
    {
        Assert.Equal(["agents", "users"], CaptureCatalogue.Parse(" Users , agents "));
    }

    [Fact]
    public void ReconcileInterval_ZeroMeansEveryCycle_IsValid()
    {
        Assert.Equal(TimeSpan.Zero, Bind(("Capture:ReconcileInterval", "00:00:00")).ReconcileInterval);
    }

    [Fact]
    public void CatalogueInterval_ZeroMeansEveryCycle_IsValid()
    {
        Assert.Equal(TimeSpan.Zero, Bind(("Capture:CatalogueInterval", "00:00:00")).CatalogueInterval);
    }

    [Fact]
    public void CatalogueInterval_ShorterThanAPollIntervalAboveIt_IsValidAndListsEveryCycle()
    {
        // a long PollInterval set alone must not start failing because of the new key's default
        Assert.Equal(TimeSpan.FromMinutes(10), Bind(("Capture:PollInterval", "00:10:00")).PollInterval);
    }
}
