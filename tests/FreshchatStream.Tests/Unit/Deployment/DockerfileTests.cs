using System.Text.RegularExpressions;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Deployment;

[Trait("Issue", "#20")]
public sealed class DockerfileTests
{
    public static TheoryData<string> DotnetDockerfiles() => new()
    {
        "producer/FreshchatStream.Producer/Dockerfile",
        "consumers/FreshchatStream.Consumers/Dockerfile",
        "tools/FreshchatStream.Sandbox/Dockerfile",
    };

    public static TheoryData<string> AllDockerfiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Path, "Dockerfile", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/'))
                     .Where(f => !f.StartsWith("artifacts/", StringComparison.Ordinal) && !f.StartsWith(".git/", StringComparison.Ordinal)))
        {
            data.Add(file);
        }

        return data;
    }

    private static string[] Lines(string dockerfile) => File.ReadAllLines(RepositoryRoot.Combine(dockerfile));

    [Theory]
    [MemberData(nameof(AllDockerfiles))]
    public void Dockerfile_BaseImages_ArePinnedToAnExactVersion(string dockerfile)
    {
        var lines = Lines(dockerfile);
        var args = lines.Select(l => Regex.Match(l, @"^ARG (\w+)=(\S+)$")).Where(m => m.Success).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var images = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .Select(image => Regex.Replace(image, @"\$\{(\w+)\}", m => args[m.Groups[1].Value]))
            .ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(@":\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$", image));
    }

    [Theory]
    [MemberData(nameof(DotnetDockerfiles))]
    public void Dockerfile_RestoresFromProjectFilesBeforeCopyingSources(string dockerfile)
    {
        var lines = Lines(dockerfile).ToList();
        var restore = lines.FindIndex(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var publish = lines.FindIndex(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        var copies = lines.Select((line, index) => (line, index)).Where(c => c.line.StartsWith("COPY ", StringComparison.Ordinal) && !c.line.Contains("--from=", StringComparison.Ordinal)).ToList();

        Assert.True(restore > 0, "no restore layer");
        Assert.Contains("--no-restore", lines[publish]);
        Assert.All(copies.Where(c => c.index < restore), c =>
            Assert.Matches(@"^COPY (global\.json Directory\.Build\.props Directory\.Packages\.props \./|\S+\.csproj \S+/)$", c.line));
        Assert.Contains(copies, c => c.index > restore && c.index < publish); // sources come after the cached restore
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputAndHistoryOutOfTheContext()
    {
        var entries = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Select(l => l.Trim()).ToHashSet();

        Assert.Superset(new HashSet<string> { ".git", "artifacts", "**/bin", "**/obj", "**/TestResults" }, entries);
        Assert.DoesNotContain("schemas", entries); // the producer embeds the .avsc files
    }
}
