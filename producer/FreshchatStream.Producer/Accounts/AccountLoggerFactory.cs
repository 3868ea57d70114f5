using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// The process's logger factory seen from one account: categories get the suffix <c>[{account}]</c>, so every
/// line of a multi-account process says which account it is about, while filters on category prefixes
/// (<c>Polly</c>, <c>Microsoft</c>) keep applying. Disposing it leaves the shared factory open.
/// </summary>
internal sealed class AccountLoggerFactory(ILoggerFactory shared, string account) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => shared.CreateLogger($"{categoryName}[{account}]");

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Providers are added to the process's logger factory.");

    public void Dispose()
    {
    }
}
