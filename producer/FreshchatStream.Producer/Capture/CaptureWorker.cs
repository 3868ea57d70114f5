using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The capture loop: one <see cref="CaptureCycle"/> per <c>Capture:PollInterval</c> (measured start to start)
/// until the host stops, or exactly one for <c>run --once</c> and <c>snapshot</c>. Between cycles, a push signal
/// (a verified webhook) starts a push cycle over just the signalled conversations at once; cycles never overlap.
/// Transient failures are left to the next cycle; a fatal one is recorded in <see cref="CaptureOutcome"/> and stops
/// the host. On stop the producer is flushed before the host disposes it, so nothing produced is left unreported.
/// </summary>
public sealed partial class CaptureWorker(
    CaptureCycle cycle,
    CaptureRun run,
    CaptureOutcome outcome,
    Progress.CaptureProgress progress,
    ConversationSignals signals,
    IChangeSink sink,
    KafkaConnection connection,
    IHostApplicationLifetime lifetime,
    IOptions<CaptureOptions> options,
    IOptions<KafkaOptions> kafka,
    TimeProvider time,
    ILogger<CaptureWorker> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(logger, run.Mode, string.Join(",", run.Resources), run.Once ? "once" : $"every {options.Value.PollInterval}");
        try
        {
            // Registers schemas and creates topics up front so a rejected schema stops the process now, not mid-cycle.
            await sink.InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = FailureClassifier.Classify(e);
            if (failure.IsFatal)
            {
                Stop(failure);
                return;
            }

            LogInitializationDeferred(logger, failure.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = time.GetUtcNow();
                var report = await cycle.RunAsync(run, stoppingToken);
                await progress.EndCycleAsync(CancellationToken.None);
                outcome.Record(report);
                if (run.Once)
                {
                    if (!report.Succeeded)
                    {
                        var failed = report.Results.First(r => !r.Succeeded);
                        outcome.Fail(failed.Failure ?? CaptureFailure.Failed($"{failed.Resource} failed."));
                    }

                    break;
                }

                await WaitForNextCycleAsync(started + options.Value.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cycle already flushed and committed what Kafka acknowledged.
        }
        catch (CaptureFatalException e)
        {
            Stop(e.Failure);
            return;
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e);
            Stop(CaptureFailure.Failed($"{e.GetType().Name}: {e.Message}", unexpected: true));
            return;
        }

        if (run.Once)
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>Waits until <paramref name="next"/>, running a push cycle whenever signals arrive meanwhile.</summary>
    private async Task WaitForNextCycleAsync(DateTimeOffset next, CancellationToken stoppingToken)
    {
        var push = run with { Resources = [.. run.Resources.Where(r => r is CaptureResources.Conversations or CaptureResources.Messages)], Push = true };
        while (time.GetUtcNow() is var now && now < next)
        {
            if (run.Mode != CaptureMode.Changes || push.Resources.Count == 0)
            {
                await Task.Delay(next - now, time, stoppingToken);
                return;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(next - now, time, waiting.Token);
            var signalled = signals.WaitAsync(waiting.Token);
            var first = await Task.WhenAny(delay, signalled);
            await waiting.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
            if (first != signalled)
            {
                return;
            }

            await cycle.RunAsync(push, stoppingToken);
            await progress.EndCycleAsync(CancellationToken.None);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var left = connection.Flush(kafka.Value.FlushTimeout);
        if (left > 0)
        {
            LogFlushIncomplete(logger, left);
        }
    }

    private void Stop(CaptureFailure failure)
    {
        outcome.Fail(failure);
        LogFatal(logger, failure.Message);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Capture starting: mode {Mode}, resources {Resources}, {Cadence}")]
    private static partial void LogStarting(ILogger logger, CaptureMode mode, string resources, string cadence);

    [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "Schema registration or topic creation deferred: {Reason}; batches retry it")]
    private static partial void LogInitializationDeferred(ILogger logger, string reason);

    [LoggerMessage(EventId = 332, Level = LogLevel.Critical, Message = "Capture stopped: {Reason}")]
    private static partial void LogFatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 333, Level = LogLevel.Error, Message = "Capture loop failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 334, Level = LogLevel.Warning, Message = "{Count} record(s) still unacknowledged when the flush timeout (Kafka:FlushTimeout) ran out; they were not committed and will be repeated")]
    private static partial void LogFlushIncomplete(ILogger logger, int count);
}
