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
/// With <c>Accounts:*</c>, <c>--account NAME</c> is required and the reset acts on that account's namespace and lease only.
/// </summary>
public static class ResetCommand
{
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> configuration, string? resource, bool confirmed, TextWriter output, string? account = null)
    {
        resource = resource
            ?? throw new CommandLineException("reset needs --resource X (one of: " + string.Join(", ", CaptureCatalogue.Names) + ").");
        if (!CaptureCatalogue.Names.Contains(resource))
        {
            throw new CommandLineException($"Unknown resource '{resource}' for --resource; valid: {string.Join(", ", CaptureCatalogue.Names)}.");
        }

        if (!confirmed)
        {
            throw new CommandLineException($"reset clears the cursor and fingerprints of '{resource}', so the next run re-publishes all of it; add --yes to confirm.");
        }

        var builder = CommandHost.CreateBuilder(configuration, LogLevel.Warning);
        var accounts = AccountSelection.Configured(builder.Configuration);
        if (account is not null)
        {
            AccountSelection.Apply(builder, AccountSelection.Find(accounts, account));
        }
        else if (accounts.Count > 0)
        {
            // Each account has its own namespace; resetting the top-level one would touch nothing any account reads.
            throw new CommandLineException($"reset needs --account NAME when Accounts is configured; configured: {string.Join(", ", accounts.Select(a => a.Name))}.");
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

        output.WriteLine($"reset {(account is null ? "" : $"account {account} ")}{resource}: cursor, fingerprints and status cleared; the next run captures it from the beginning.");
        return ExitCodes.Ok;
    }
}
