using System.Diagnostics;
using System.Globalization;
using FreshchatStream.Consumers.Commands;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Tests.Integration.Hosting;

/// <summary>
/// <c>health [--ready]</c> of the producer and the lander, as a container healthcheck runs it: against a real local
/// endpoint (live answers 200, ready 503), a closed port, and without a port; and from a child process configured
/// only by an environment variable, with no Freshchat, Kafka, Redis or registry settings at all.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#20")]
public sealed class HealthCommandTests
{
    public static TheoryData<string> Programs() => new("producer", "lander");

    private static async Task<(int Code, string Error)> HealthAsync(string program, params string[] args)
    {
        using var error = new StringWriter();
        var code = program == "producer"
            ? await FreshchatStreamCli.RunAsync(["health", .. args], TextWriter.Null, error)
            : await LanderCli.RunAsync(["health", .. args], TextWriter.Null, error);
        return (code, error.ToString());
    }

    private static async Task<WebApplication> StartEndpointAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Ok("Healthy"));
        app.MapGet("/health/ready", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        return app;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Health_AgainstARealEndpoint_ExitsZeroWhenLiveAndOneWhenNotReady(string program)
    {
        var port = FreePort.Next();
        await using var endpoint = await StartEndpointAsync(port);

        var live = await HealthAsync(program, $"--Observability:MetricsPort={port}");
        var wildcard = await HealthAsync(program, $"--Observability:MetricsPort={port}", "--Observability:ListenAddress=0.0.0.0");
        var ready = await HealthAsync(program, "--ready", $"--Observability:MetricsPort={port}");

        Assert.True(live.Code == 0, live.Error);
        Assert.Equal(string.Empty, live.Error);
        Assert.True(wildcard.Code == 0, wildcard.Error);
        Assert.Equal(1, ready.Code);
        Assert.Contains("/health/ready answered 503", Assert.Single(ready.Error.Trim().Split('\n')));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Health_ClosedPort_ExitsOneWithOneLine(string program)
    {
        var (code, error) = await HealthAsync(program, $"--Observability:MetricsPort={FreePort.Next()}");

        Assert.Equal(1, code);
        Assert.Contains("did not answer", Assert.Single(error.Trim().Split('\n')));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Health_NoMetricsPort_ExitsTwoNamingTheKey(string program)
    {
        var off = await HealthAsync(program, "--Observability:MetricsPort=0");
        var invalid = await HealthAsync(program, "--Observability:MetricsPort=ninety");

        Assert.Equal(2, off.Code);
        Assert.Contains("Observability:MetricsPort", off.Error);
        Assert.Equal(2, invalid.Code);
        Assert.Contains("Observability:MetricsPort", Assert.Single(invalid.Error.Trim().Split('\n')));
    }

    [Theory]
    [InlineData("freshchat-stream.dll")]
    [InlineData("freshchat-landers.dll")]
    public async Task Health_ChildProcessConfiguredByEnvironmentOnly_ProbesThePort(string dll)
    {
        var port = FreePort.Next();
        await using var endpoint = await StartEndpointAsync(port);

        var healthy = await RunChildAsync(dll, port, "health");
        var notReady = await RunChildAsync(dll, port, "health", "--ready");

        Assert.True(healthy.Code == 0, healthy.Error);
        Assert.Equal(1, notReady.Code);
        Assert.Contains("503", notReady.Error);
    }

    private static async Task<(int Code, string Error)> RunChildAsync(string dll, int port, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Observability__MetricsPort"] = port.ToString(CultureInfo.InvariantCulture);
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var error = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (child.ExitCode, await error);
    }
}
