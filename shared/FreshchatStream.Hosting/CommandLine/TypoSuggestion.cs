using System.CommandLine;

namespace FreshchatStream.Hosting.CommandLine;

/// <summary>
/// The option or subcommand of a command closest to a token the parser did not recognise (System.CommandLine's own
/// typo corrections print several lines; the tools report a mistake on one).
/// </summary>
public static class TypoSuggestion
{
    /// <returns>The nearest name within a third of the token's length (at least 2 edits), or null.</returns>
    public static string? For(string token, Command command)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(command);
        var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)));
        var limit = Math.Max(2, token.Length / 3);
        return names.Select(name => (Name: name, Distance: Distance(token, name)))
            .Where(candidate => candidate.Distance <= limit)
            .OrderBy(candidate => candidate.Distance).ThenBy(candidate => candidate.Name, StringComparer.Ordinal)
            .Select(candidate => candidate.Name).FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
