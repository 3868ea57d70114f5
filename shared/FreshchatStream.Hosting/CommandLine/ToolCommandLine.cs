using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace FreshchatStream.Hosting.CommandLine;

/// <summary>
/// The conventions every FreshchatStream tool's command line follows (System.CommandLine underneath): no arguments or
/// <c>help</c> shows the generated help; <c>--Section:Key=value</c> (or <c>--Section:Key value</c>) goes to the .NET
/// configuration, never to the parser; a mistake is one line on standard error — what is wrong, a suggestion for a
/// misspelt option or command, and the <c>--help</c> to run — with exit code 2; a command's own failures propagate to
/// the tool, which maps them to its exit codes.
/// </summary>
public static class ToolCommandLine
{
    public const int UsageExitCode = 2;

    /// <summary>
    /// Splits <paramref name="args"/> into the tokens for the parser and the configuration arguments (a key always
    /// contains ':', which no option name does). Like .NET's command-line configuration provider, a key without '='
    /// takes the next token as its value.
    /// </summary>
    public static (string[] CommandLine, string[] Configuration) SplitConfiguration(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var commandLine = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsConfigurationKey(arg))
            {
                commandLine.Add(arg);
                continue;
            }

            configuration.Add(arg);
            if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
            {
                configuration.Add(args[++i]);
            }
        }

        return ([.. commandLine], [.. configuration]);
    }

    /// <summary>Parses <paramref name="commandLine"/> against <paramref name="root"/> and runs the chosen command's action.</summary>
    /// <returns>The action's exit code, 0 after help, or <see cref="UsageExitCode"/> after a mistake.</returns>
    /// <param name="tool">The tool's name in messages (the root command's name is the host executable's in tests).</param>
    public static async Task<int> InvokeAsync(string tool, RootCommand root, IReadOnlyList<string> commandLine, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(commandLine);
        string[] tokens = commandLine is [] or ["help", ..] ? ["--help", .. commandLine.Skip(1)] : [.. commandLine];
        RejectOptionsAsValues(root);
        var result = root.Parse(tokens, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Action is ParseErrorAction)
        {
            await error.WriteLineAsync($"error: {DescribeMistake(tool, result)}").ConfigureAwait(false);
            return UsageExitCode;
        }

        // The tools handle SIGTERM/Ctrl-C themselves (hosts, foreground runs); exceptions reach the tool's own mapping.
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await result.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one line (after <c>error: </c>) shown for a command line the parser rejected.</summary>
    public static string DescribeMistake(string tool, ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var path = string.Join(' ', Path(result.CommandResult.Command).Reverse().Prepend(tool));
        return $"{PrimaryError(result)} Run '{path} --help' for usage.";
    }

    /// <summary>The error that explains a rejected command line best, with a suggestion for a misspelt name.</summary>
    public static string PrimaryError(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // An option's own error (a bad or missing value) explains a stray token after it, so it comes first.
        if (result.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult or ArgumentResult) is { } valueError)
        {
            return valueError.Message;
        }

        return result.UnmatchedTokens is [var token, ..]
            ? $"Unrecognized command or argument '{token}'." +
              (TypoSuggestion.For(token, result.CommandResult.Command) is { } suggestion ? $" Did you mean '{suggestion}'?" : string.Empty)
            : result.Errors[0].Message;
    }

    /// <summary>
    /// System.CommandLine lets an option that needs a value take the next token even when it is another option
    /// (<c>reset --resource --yes</c> would reset a resource named "--yes"); the tools reject that instead.
    /// </summary>
    public static void RejectOptionsAsValues(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(["-h", "--help", "-?"]).ToHashSet(StringComparer.Ordinal);
        foreach (var option in command.Options.Where(o => o.Arity.MinimumNumberOfValues > 0))
        {
            option.Validators.Add(result =>
            {
                if (result.Tokens.FirstOrDefault(t => names.Contains(t.Value)) is { } token)
                {
                    result.AddError($"Option '{option.Name}' needs a value, not the option '{token.Value}'.");
                }
            });
        }

        foreach (var subcommand in command.Subcommands)
        {
            RejectOptionsAsValues(subcommand);
        }
    }

    private static bool IsConfigurationKey(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return (equals < 0 ? arg : arg[..equals]).Contains(':', StringComparison.Ordinal);
    }

    private static IEnumerable<string> Path(Command command)
    {
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            if (current is not RootCommand)
            {
                yield return current.Name;
            }
        }
    }
}
