namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// The life of a long-running command: start the servers (unless a stop arrives first), print the settings lines
/// and nothing else on standard output, report on standard error, wait for the stop, shut down.
/// </summary>
internal static class ForegroundRun
{
    public const string Name = "freshchat-sandbox";

    /// <param name="start">Starts the servers; cancelled when a stop arrives during start-up.</param>
    /// <param name="settings">The <c>Key=Value</c> lines to print, in order.</param>
    /// <param name="describe">One human-readable line about what runs, for standard error.</param>
    /// <param name="output">Receives only the settings lines.</param>
    /// <param name="messages">Human-readable progress.</param>
    /// <param name="stop">Completes when the servers should shut down.</param>
    public static async Task<int> RunAsync<T>(
        Func<CancellationToken, Task<T>> start,
        Func<T, IEnumerable<KeyValuePair<string, string>>> settings,
        Func<T, string> describe,
        TextWriter output,
        TextWriter messages,
        Task stop)
        where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(stop);
        T servers;
        using (var startup = new CancellationTokenSource())
        {
            var starting = start(startup.Token);
            if (await Task.WhenAny(starting, stop).ConfigureAwait(false) == stop)
            {
                // Stopped while starting: let the start finish or give up, release whatever it made, exit cleanly.
                await startup.CancelAsync().ConfigureAwait(false);
                try
                {
                    await (await starting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                return ExitCodes.Ok;
            }

            servers = await starting.ConfigureAwait(false);
        }

        await using (servers.ConfigureAwait(false))
        {
            foreach (var (key, value) in settings(servers))
            {
                await output.WriteLineAsync($"{key}={value}").ConfigureAwait(false);
            }

            // Readers such as `head -4` or a test waiting on the pipe must see the lines now, not at exit.
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await messages.WriteLineAsync($"{Name}: {describe(servers)}").ConfigureAwait(false);
            await messages.WriteLineAsync($"{Name}: ready; press Ctrl-C or send SIGTERM to stop.").ConfigureAwait(false);
            await messages.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            await stop.ConfigureAwait(false);
            await messages.WriteLineAsync($"{Name}: stopping...").ConfigureAwait(false);
        }

        await messages.WriteLineAsync($"{Name}: stopped.").ConfigureAwait(false);
        await messages.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
