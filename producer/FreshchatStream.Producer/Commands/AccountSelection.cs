using FreshchatStream.Producer.Accounts;
using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FreshchatStream.Producer.Commands;

/// <summary>
/// <c>--account NAME</c> of <c>reset</c> and <c>check</c>: picks one of the configured <c>Accounts:*</c> and lays its
/// configuration view (its Freshchat, Capture and topic settings, its Redis namespace and its name as the lease's
/// account) over the command's host, so the single-account code path acts on that account alone.
/// </summary>
public static class AccountSelection
{
    /// <summary>The configured accounts, or an empty list when <c>Accounts</c> is not configured (the single top-level account).</summary>
    /// <exception cref="ConfigurationErrorException">An invalid account name or key.</exception>
    public static IReadOnlyList<ConfiguredAccount> Configured(IConfiguration configuration)
    {
        if (!AccountsConfiguration.IsConfigured(configuration))
        {
            return [];
        }

        var partitions = int.TryParse(configuration["Capture:AssignmentPartitions"], out var configured) && configured > 0
            ? configured : new CaptureOptions().AssignmentPartitions;
        return AccountsConfiguration.Read(configuration, partitions);
    }

    /// <summary>
    /// The account <paramref name="name"/> names among <paramref name="accounts"/>; <c>--account</c> without
    /// <c>Accounts</c> is refused, so an operator who meant a multi-account deployment never acts on the top-level namespace.
    /// </summary>
    /// <exception cref="CommandLineException">No such account, or no <c>Accounts</c> configured.</exception>
    public static ConfiguredAccount Find(IReadOnlyList<ConfiguredAccount> accounts, string name)
    {
        if (accounts.Count == 0)
        {
            throw new CommandLineException(
                $"--account {name} selects one of Accounts:*, and no Accounts are configured; drop --account (the top-level Freshchat section is the only account).");
        }

        return accounts.FirstOrDefault(a => a.Name == name)
            ?? throw new CommandLineException($"Unknown account '{name}' for --account; configured: {string.Join(", ", accounts.Select(a => a.Name))}.");
    }

    /// <summary>Makes <paramref name="builder"/>'s configuration the account's view, its keys winning over the command line's.</summary>
    public static void Apply(IHostApplicationBuilder builder, ConfiguredAccount account)
    {
        // A snapshot of the view: it is layered over this very configuration, so adding it live would recurse.
        var view = account.Configuration.AsEnumerable().Where(p => p.Value is not null).ToList();
        builder.Configuration.AddInMemoryCollection(view);
    }
}
