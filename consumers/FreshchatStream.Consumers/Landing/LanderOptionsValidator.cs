using Microsoft.Extensions.Options;

namespace FreshchatStream.Consumers.Landing;

/// <summary>Validates <see cref="LanderOptions"/>; each message names the key and the option that overrides it.</summary>
public sealed class LanderOptionsValidator : IValidateOptions<LanderOptions>
{
    public ValidateOptionsResult Validate(string? name, LanderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var unknown = (options.Topics ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => !LandedTopics.All.Contains(t.ToLowerInvariant())).ToList();
        if (unknown.Count > 0)
        {
            failures.Add($"Lander:Topics (--topics) names unknown resource(s) {string.Join(", ", unknown)}; valid: {string.Join(", ", LandedTopics.All)}.");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            failures.Add("Lander:BatchSize (--batch-size) must be between 1 and 100000.");
        }

        if (options.BatchWait < TimeSpan.FromMilliseconds(10) || options.BatchWait > TimeSpan.FromMinutes(5))
        {
            failures.Add("Lander:BatchWait must be between 00:00:00.01 and 00:05:00.");
        }

        if (options.SessionTimeout < TimeSpan.FromSeconds(1) || options.SessionTimeout > TimeSpan.FromMinutes(30))
        {
            failures.Add("Lander:SessionTimeout (--session-timeout-ms) must be between 00:00:01 and 00:30:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
