using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture;

/// <summary>Rules data annotations cannot express: the resource list, and cadences that fit together.</summary>
public sealed class CaptureOptionsValidator : IValidateOptions<CaptureOptions>
{
    public ValidateOptionsResult Validate(string? name, CaptureOptions options)
    {
        var failures = new List<string>();
        try
        {
            CaptureCatalogue.Parse(options.Resources);
        }
        catch (ArgumentException e)
        {
            failures.Add(e.Message);
        }

        if (options.ReconcileInterval > TimeSpan.Zero && options.ReconcileInterval < options.PollInterval)
        {
            failures.Add($"Capture:ReconcileInterval ({options.ReconcileInterval}) is shorter than Capture:PollInterval ({options.PollInterval}); use 00:00:00 to reconcile every cycle.");
        }

        failures.AddRange(options.Conversations.Validate());
        failures.AddRange(options.Reports.Validate());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
