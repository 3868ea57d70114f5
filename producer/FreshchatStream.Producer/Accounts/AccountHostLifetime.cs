using Microsoft.Extensions.Hosting;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// The lifetime of an account's capture host: none of its own. The process host owns SIGTERM and Ctrl-C and stops
/// the accounts itself; a console lifetime per account would race it on every signal.
/// </summary>
internal sealed class AccountHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
