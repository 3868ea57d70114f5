using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>reset --resource X --yes</c>: forgets a resource's cursor, fingerprints and meta so the next run
/// captures it from the beginning (every entity again as <c>c</c>). Refuses without <c>--yes</c>; holds the account's lease
/// while it deletes, so it never runs under a live writer (exit 3 naming the holder after <c>Capture:LeaseWaitTimeout</c>).
/// </summary>
public static class ResetCommand
{
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> configuration, string? resource, bool confirmed, TextWriter output)
    {
        resource = resource
            ?? throw new CommandLineException("reset needs --resource X (one of: " + string.Join(", ", CaptureResources.All) + ").");
        if (!CaptureResources.All.Contains(resource))
        {
            throw new CommandLineException($"Unknown resource '{resource}' for --resource; valid: {string.Join(", ", CaptureResources.All)}.");
        }

        if (!confirmed)
        {
            throw new CommandLineException($"reset clears the cursor and fingerprints of '{resource}', so the next run re-publishes all of it; add --yes to confirm.");
        }

        var builder = CommandHost.CreateBuilder(configuration, LogLevel.Warning);
        if (Accounts.AccountsConfiguration.IsConfigured(builder.Configuration))
        {
            // Not account-aware yet: refusing beats reseting the top-level namespace while the accounts live under their own.
            throw new ConfigurationErrorException("reset does not support Accounts:* yet; run it with the account's settings as a single-account configuration (its Freshchat:* and Redis:KeyPrefix).");
        }

        builder.AddCursorStore();
        using var host = builder.Build();
        host.Services.GetService<IStartupValidator>()?.Validate();
        var store = host.Services.GetRequiredService<ICursorStore>();
        // Never under a live writer: the reset holds the account's lease (waiting up to Capture:LeaseWaitTimeout), and
        // its deletions are fenced by it like any commit.
        var lease = (store as RedisCursorStore)?.Fence;
        if (lease is not null)
        {
            await lease.AcquireAsync(lease.WaitTimeout);
        }

        try
        {
            await store.ResetAsync(resource);
        }
        finally
        {
            if (lease is not null)
            {
                await lease.ReleaseAsync();
            }
        }

        output.WriteLine($"reset {resource}: cursor, fingerprints and status cleared; the next run captures it from the beginning.");
        return ExitCodes.Ok;
    }
}
