using FreshchatStream.Hosting;
using FreshchatStream.Hosting.CommandLine;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Freshchat;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// The <c>freshchat-stream</c> command line: dispatches to a command and turns every failure a user can cause
/// or fix into one line on standard error and an exit code (0 ok, 1 failure, 2 configuration, 3 upstream) —
/// never a stack trace.
/// </summary>
public static class FreshchatStreamCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken stop = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        try
        {
            var (commandLine, configuration) = ToolCommandLine.SplitConfiguration(args);
            var root = CommandCatalog.Build(configuration, output, error, stop);
            return await ToolCommandLine.InvokeAsync(CommandCatalog.Tool, root, commandLine, output, error, stop);
        }
        catch (Exception e)
        {
            var (code, line) = Describe(e);
            error.WriteLine(line);
            return code;
        }
    }

    /// <summary>The exit code and the single stderr line for a failure that ended a command.</summary>
    public static (int Code, string Line) Describe(Exception exception) => exception switch
    {
        CommandLineException e => (ExitCodes.Configuration, $"error: {e.Message}"),
        ConfigurationErrorException e => (ExitCodes.Configuration, $"configuration error: {e.Message}"),
        OptionsValidationException e => (ExitCodes.Configuration, $"configuration error: {string.Join(" ", e.Failures)}"),
        _ when ConfigurationBindingFailure.TryDescribe(exception, out var message) => (ExitCodes.Configuration, $"configuration error: {message}"),
        CaptureFatalException e => (e.Failure.ExitCode, $"fatal: {e.Failure.Message}"),
        UpstreamCheckException e => (ExitCodes.Upstream, $"check failed: {e.Message}"),
        DependencyUnreachableException e => (ExitCodes.Upstream, $"fatal: {e.Message}"),
        Producer.State.LeaseUnavailableException e => (ExitCodes.Upstream, $"fatal: {e.Message}"),
        FreshchatAuthenticationException e => (ExitCodes.Upstream, $"fatal: {e.Message}"),
        FreshchatForbiddenException e => (ExitCodes.Upstream, $"fatal: {e.Message}"),
        _ => FromClassifier(FailureClassifier.Classify(exception)),
    };

    // Outside the capture loop an unreachable dependency is what stopped the command: exit 3 (upstream).
    private static (int, string) FromClassifier(CaptureFailure failure) =>
        (failure.Kind == CaptureFailureKind.Transient ? ExitCodes.Upstream : failure.ExitCode, $"fatal: {failure.Message}");
}
