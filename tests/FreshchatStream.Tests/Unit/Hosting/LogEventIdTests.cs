using System.Reflection;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Tests.Unit.Hosting;

/// <summary>
/// Log event ids are how operators filter and alert on a message, so each id names one message across every
/// executable and library of the repository (issue #18 found 200, 201, 320 and 340 used twice). They are kept in one
/// <c>Log</c> class per folder so a reviewer sees a folder's ids, levels and texts side by side.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>One type from each executable and library (producer, landers, sandbox, hosting, bench).</summary>
    private static readonly Assembly[] Roots =
    [
        typeof(FreshchatStream.Producer.Capture.CaptureCycle).Assembly,
        typeof(FreshchatStream.Consumers.Landing.Lander).Assembly,
        typeof(FreshchatStream.Sandbox.SandboxStackOptions).Assembly,
        typeof(FreshchatStream.Hosting.ObservabilityOptions).Assembly,
        Assembly.Load(new AssemblyName("FreshchatStream.Bench")),
    ];

    [Fact]
    [Trait("Issue", "#18")]
    public void LoggerMessages_AcrossAllAssemblies_HaveUniqueEventIds()
    {
        var assemblies = RepositoryAssemblies();

        var definitions = LoggerMessages(assemblies).ToList();
        Assert.True(definitions.Count > 50, $"only {definitions.Count} [LoggerMessage] methods found: is the reflection still looking at the right assemblies?");

        var clashes = definitions
            .GroupBy(d => d.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.Method))}")
            .ToList();
        Assert.True(clashes.Count == 0, "event ids used more than once:\n" + string.Join("\n", clashes));
    }

    [Fact]
    [Trait("Issue", "#18")]
    public void LoggerMessages_EveryDefinition_SetsAnExplicitEventId()
    {
        var implicitIds = LoggerMessages(RepositoryAssemblies()).Where(d => d.EventId < 0).Select(d => d.Method).ToList();

        Assert.Empty(implicitIds);
    }

    [Fact]
    [Trait("Issue", "#18")]
    public void LoggerMessages_AreDeclaredOnlyOnTheFolderLogClass()
    {
        var misplaced = LoggerMessages(RepositoryAssemblies())
            .Where(d => d.Type.Name != "Log" || !d.Type.IsAbstract || !d.Type.IsSealed || d.Type.IsPublic || d.Type.IsNested)
            .Select(d => d.Method)
            .ToList();

        Assert.True(misplaced.Count == 0,
            "[LoggerMessage] methods belong in the internal static partial class Log of their folder (<folder>/Log.cs), not on:\n" + string.Join("\n", misplaced));
    }

    private static IEnumerable<(int EventId, string Method, Type Type)> LoggerMessages(IEnumerable<Assembly> assemblies)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var method in type.GetMethods(all))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                {
                    yield return (attribute.EventId, $"{type.FullName}.{method.Name}", type);
                }
            }
        }
    }

    /// <summary>The <see cref="Roots"/> and every other repository assembly they reference.</summary>
    private static IReadOnlyList<Assembly> RepositoryAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>(Roots);
        while (pending.TryDequeue(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && IsRepositoryAssembly(name) && !found.ContainsKey(name))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        Assert.Equal(Roots.Length, Roots.Distinct().Count());
        return [.. found.Values];
    }

    private static bool IsRepositoryAssembly(string name) =>
        name.StartsWith("FreshchatStream.", StringComparison.Ordinal) || name.StartsWith("freshchat-", StringComparison.Ordinal);
}
