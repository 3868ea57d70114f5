namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// Walks the <c>--name value</c> / <c>--name=value</c> options of one command and hands each to the command's own
/// parser, so every command reports unknown options, missing values and stray words the same way.
/// </summary>
internal static class OptionReader
{
    /// <summary>Applies every option to <paramref name="apply"/>; returns false when <c>-h</c>/<c>--help</c> was given.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="command">Command name, for messages.</param>
    /// <param name="apply">Receives the option name and a function that takes its value; returns false for an unknown name.</param>
    /// <exception cref="UsageException">A stray word, an unknown option or a missing value.</exception>
    public static bool Read(IReadOnlyList<string> args, string command, Func<string, Func<string>, bool> apply)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return false;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}' for '{command}' (options start with --; see '{command} --help')");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var index = i;
            string Value()
            {
                if (equals >= 0)
                {
                    return arg[(equals + 1)..];
                }

                // A following option is a forgotten value, not the value itself ("--users --seed 3").
                if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"option '{name}' needs a value");
                }

                i = ++index;
                return args[index];
            }

            if (!apply(name, Value))
            {
                throw new UsageException($"unknown option '{name}' for '{command}' (see '{command} --help')");
            }
        }

        return true;
    }
}
