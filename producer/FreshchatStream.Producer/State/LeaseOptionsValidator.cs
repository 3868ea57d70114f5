using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.State;

/// <summary>Validates <see cref="LeaseOptions"/> at start; messages name the key. Registered once however often the options are added.</summary>
public sealed class LeaseOptionsValidator : IValidateOptions<LeaseOptions>
{
    public const int MaxInstanceIdLength = 100;

    public ValidateOptionsResult Validate(string? name, LeaseOptions options)
    {
        var failures = new List<string>();
        if (options.LeaseTtl < TimeSpan.FromSeconds(1) || options.LeaseTtl > TimeSpan.FromHours(1))
        {
            failures.Add("Capture:LeaseTtl must be between 00:00:01 and 01:00:00.");
        }

        if (options.LeaseWaitTimeout < TimeSpan.Zero || options.LeaseWaitTimeout > TimeSpan.FromDays(1))
        {
            failures.Add("Capture:LeaseWaitTimeout must be between 00:00:00 and 1.00:00:00.");
        }

        if (options.InstanceId is { } id && (id.Length == 0 || id.Length > MaxInstanceIdLength || id.Any(char.IsWhiteSpace) || id.Any(char.IsControl)))
        {
            failures.Add($"Capture:InstanceId must be 1 to {MaxInstanceIdLength} characters without whitespace (leave it unset for host-pid-random).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
