using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FreshchatStream.Bench.Micro;

/// <summary>
/// The <c>micro</c> command: BenchmarkDotNet over <see cref="PublishMicroBenchmarks"/> with a short job (3 warm-up
/// and 3 measured iterations), so a run takes a few minutes. It runs in process: BenchmarkDotNet's default
/// toolchain generates and builds a separate project, which would build into the shared artifacts folder (and
/// under TreatWarningsAsErrors) while other builds hold it. Extra arguments go to BenchmarkDotNet (e.g.
/// <c>--filter *Value*</c>).
/// </summary>
public static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "freshchat-stream-bdn"));
        var summary = BenchmarkRunner.Run<PublishMicroBenchmarks>(config, args);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
