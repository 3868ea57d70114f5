using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>run</c>: capture until SIGTERM/Ctrl-C; <c>run --once</c>: one cycle, then exit (0 when every resource
/// succeeded). <c>snapshot</c> shares it with <see cref="CaptureMode.Snapshot"/>.
/// </summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(ParsedArguments arguments, CaptureMode mode, TextWriter console)
    {
        var builder = CommandHost.CreateBuilder(arguments);
        var resources = SelectResources(arguments, builder);
        var run = new CaptureRun(mode, resources, Once: mode == CaptureMode.Snapshot || arguments.HasFlag("once"))
        {
            Progress = mode == CaptureMode.Snapshot ? new SnapshotProgress(console) : null,
        };
        builder.AddFreshchatStream(run);
        using var host = builder.Build();
        var outcome = host.Services.GetRequiredService<CaptureOutcome>();
        await host.RunAsync();
        if (outcome.Failure is { } failure)
        {
            throw new CaptureFatalException(failure);
        }

        if (mode == CaptureMode.Snapshot && outcome.LastCycle is { } cycle)
        {
            console.WriteLine($"snapshot done: {cycle.Events} event(s) re-emitted as op=r over {string.Join(", ", resources)}");
        }

        return ExitCodes.Ok;
    }

    private static IReadOnlyList<string> SelectResources(ParsedArguments arguments, HostApplicationBuilder builder)
    {
        var option = arguments.GetOption("resources");
        try
        {
            return CaptureResources.Parse(option ?? builder.Configuration["Capture:Resources"]);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationErrorException(option is null ? e.Message : e.Message.Replace("Capture:Resources", "--resources", StringComparison.Ordinal));
        }
    }

    /// <summary>Snapshot progress on standard error, one line per flushed batch, so stdout stays clean for logs.</summary>
    private sealed class SnapshotProgress(TextWriter console) : IProgress<CaptureProgress>
    {
        public void Report(CaptureProgress value) =>
            console.WriteLine(value.Completed
                ? $"snapshot {value.Resource}: done, {value.Acknowledged} event(s)"
                : $"snapshot {value.Resource}: {value.Acknowledged} event(s) acknowledged…");
    }
}
