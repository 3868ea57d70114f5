using System.CommandLine;
using FreshchatStream.Hosting.CommandLine;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>The commands of <c>freshchat-sandbox</c> (System.CommandLine generates the help from their options).</summary>
internal static class SandboxCommands
{
    public const string Tool = "freshchat-sandbox";

    private const string Description =
        """
        freshchat-sandbox - local stand-ins for everything FreshchatStream's producer talks to.

        'up' and 'freshchat' run until Ctrl-C / SIGTERM; '<command> --help' lists a command's options.
        Exit codes: 0 ok, 1 failure, 2 bad arguments.
        """;

    public static RootCommand Build(TextWriter output, TextWriter messages, Task stop)
    {
        var (up, readUp) = UpArguments.CreateCommand();
        up.SetAction((result, _) => UpCommand.RunAsync(readUp(result), output, messages, stop));
        var (freshchat, readFreshchat) = FreshchatArguments.CreateCommand();
        freshchat.SetAction((result, _) => FreshchatCommand.RunAsync(readFreshchat(result), output, messages, stop));
        return new RootCommand(Description) { up, freshchat, DemoCommand.Create(output, stop) };
    }

    /// <summary>Parses <paramref name="args"/> as the options of <paramref name="name"/> without running it.</summary>
    /// <exception cref="UsageException">The parser rejected them; the message is its first error.</exception>
    public static T Parse<T>(string name, IReadOnlyList<string> args, Func<(Command Command, Func<ParseResult, T> Read)> create)
    {
        var (command, read) = create();
        ToolCommandLine.RejectOptionsAsValues(command);
        var result = new RootCommand { command }.Parse([name, .. args]);
        return result.Errors.Count > 0 ? throw new UsageException(ToolCommandLine.PrimaryError(result)) : read(result);
    }
}
