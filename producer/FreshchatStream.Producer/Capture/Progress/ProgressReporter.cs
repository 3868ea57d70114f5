using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// Every <c>Observability:ProgressInterval</c>, reports <see cref="CaptureProgress"/>: one line per pass in flight
/// for longer than that, and the same readings in Redis for <c>status</c>. Best effort: a failure here never
/// touches capture. It also holds the progress gauges (<see cref="ProgressMetrics"/>) for as long as it runs.
/// </summary>
public sealed class ProgressReporter(CaptureProgress progress, TimeProvider time, ILogger<ProgressReporter> logger, IMeterFactory? meterFactory = null)
    : BackgroundService
{
    private readonly ProgressMetrics _metrics = new(progress, meterFactory);

    public override void Dispose()
    {
        _metrics.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(progress.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await progress.ReportAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ReportFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
