using System.CommandLine;
using System.Text.RegularExpressions;
using FreshchatStream.Consumers.Commands;
using FreshchatStream.Hosting.CommandLine;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Sandbox.Cli;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Commands;

/// <summary>Every <c>dotnet run --project … -- args</c> line in the documentation parses with the tool it names.</summary>
public sealed partial class DocumentedCommandLinesTests
{
    private static readonly string[] Documents = ["README.md", "consumers/README.md", .. Directory.GetFiles(RepositoryRoot.Combine("docs"), "*.md")
        .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path))];

    public static TheoryData<string, string> CommandLines()
    {
        var lines = new TheoryData<string, string>();
        var seen = new HashSet<(string, string)>();
        foreach (var document in Documents)
        {
            foreach (Match match in DotnetRun().Matches(File.ReadAllText(RepositoryRoot.Combine(document))))
            {
                var arguments = match.Groups["args"].Value.Trim();
                // Synopses with placeholders (<command>, [options], …) are help text, not command lines.
                if (arguments.Length > 0 && !arguments.Contains('<') && !arguments.Contains('[') && !arguments.Contains('…')
                    && seen.Add((match.Groups["project"].Value, arguments)))
                {
                    lines.Add(match.Groups["project"].Value, arguments);
                }
            }
        }

        return lines;
    }

    [Fact]
    public void Documents_ContainCommandLinesOfEveryTool()
    {
        var projects = CommandLines().Select(row => (string)row[0]).Distinct().ToList();

        Assert.Contains("producer/FreshchatStream.Producer", projects);
        Assert.Contains("consumers/FreshchatStream.Consumers", projects);
        Assert.Contains("tools/FreshchatStream.Sandbox", projects);
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void DocumentedCommandLine_Parses(string project, string arguments)
    {
        var (commandLine, configuration) = ToolCommandLine.SplitConfiguration(Tokens().Matches(arguments).Select(m => m.Value.Trim('"')).ToArray());
        RootCommand root = project switch
        {
            "producer/FreshchatStream.Producer" => CommandCatalog.Build(configuration, TextWriter.Null, TextWriter.Null, CancellationToken.None),
            "consumers/FreshchatStream.Consumers" => LanderCommands.Build(configuration, (_, _) => Task.FromResult(0)),
            "tools/FreshchatStream.Sandbox" => SandboxCommands.Build(TextWriter.Null, TextWriter.Null, Task.CompletedTask),
            _ => throw new ArgumentException($"unknown project {project}", nameof(project)),
        };
        ToolCommandLine.RejectOptionsAsValues(root);

        var result = root.Parse(commandLine);

        Assert.True(result.Errors.Count == 0, $"{project} -- {arguments}: {string.Join(" ", result.Errors.Select(e => e.Message))}");
        Assert.IsNotType<RootCommand>(result.CommandResult.Command);
    }

    // Up to the end of the line, a comment (#, two spaces), a backtick, a redirection or a closing quote of code.
    [GeneratedRegex("""dotnet run --project (?<project>[\w./-]+) -- (?<args>[^`#|>&\n")]*(?:"[^"\n]*"[^`#|>&\n")]*)*)""")]
    private static partial Regex DotnetRun();

    [GeneratedRegex("""("[^"]*"|\S+)""")]
    private static partial Regex Tokens();
}
