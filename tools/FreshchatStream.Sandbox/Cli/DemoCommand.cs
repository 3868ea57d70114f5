using FreshchatStream.Sandbox.Demo;

namespace FreshchatStream.Sandbox.Cli;

/// <summary><c>demo [--users N] [--cycles N] [--output DIR]</c>: the one-command tour of the product.</summary>
internal static class DemoCommand
{
    public const string Command = "demo";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, Task stop)
    {
        var users = 400;
        var cycles = 3;
        var directory = Path.Combine(Directory.GetCurrentDirectory(), "freshchat-demo");
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--users" when int.TryParse(value, out var n) && n is >= 10 and <= 100_000: users = n; i++; break;
                case "--cycles" when int.TryParse(value, out var c) && c is >= 0 and <= 20: cycles = c; i++; break;
                case "--output": directory = Path.GetFullPath(value); i++; break;
                default: throw new UsageException($"invalid option '{args[i]} {value}'");
            }
        }

        using var cancel = new CancellationTokenSource();
        _ = stop.ContinueWith(_ => cancel.Cancel(), TaskScheduler.Default);
        return await new DemoRun(output, directory, users, cycles).RunAsync(cancel.Token).ConfigureAwait(false);
    }
}
