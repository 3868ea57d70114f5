using System.Reflection;
using System.Runtime.InteropServices;

namespace FreshchatStream.Sandbox.Kafka;

/// <summary>
/// Binds this assembly's mock-cluster P/Invokes to the very librdkafka file Confluent.Kafka loaded. The package
/// ships several builds (on Debian 12 the default <c>librdkafka.so</c> needs a missing libsasl2, so Confluent
/// silently falls back to <c>centos8-librdkafka.so</c>); a mock cluster created in a second copy of the library
/// would have its own global state, so we never pick a file ourselves when the process can tell us which one is live.
/// </summary>
internal static class RdKafkaLibrary
{
    /// <summary>The library name the <see cref="MockClusterNative"/> imports use; only our resolver knows it.</summary>
    public const string ImportName = "freshchat-sandbox-rdkafka";

    // The names Confluent.Kafka's own DllImport classes use, in the order it tries them.
    private static readonly string[] ConfluentImportNames = ["librdkafka", "centos8-librdkafka", "alpine-librdkafka"];

    private static readonly Lock Gate = new();
    private static nint _handle;

    /// <summary>File the mock cluster calls go to (Linux: the path mapped into the process; elsewhere the name resolved).</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>Native handle of the shared library, loaded on first use.</summary>
    public static nint Handle
    {
        get
        {
            lock (Gate)
            {
                if (_handle == 0)
                {
                    (_handle, LoadedPath) = LoadSameAsConfluent();
                    NativeLibrary.SetDllImportResolver(typeof(RdKafkaLibrary).Assembly, Resolve);
                }

                return _handle;
            }
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ImportName ? Handle : 0;

    private static (nint Handle, string Path) LoadSameAsConfluent()
    {
        try
        {
            // Idempotent: makes Confluent choose (and dlopen) its build now, so we can follow its choice.
            Confluent.Kafka.Library.Load();
        }
        catch (Exception ex) when (ex is DllNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Confluent.Kafka could not load librdkafka, so there is no library to host a mock cluster in: {ex.Message}", ex);
        }

        if (OperatingSystem.IsLinux() && FindMappedLibrary() is { } mapped)
        {
            // dlopen of a file already mapped returns the existing handle, not a second copy.
            return (NativeLibrary.Load(mapped), mapped);
        }

        var confluentAssembly = typeof(Confluent.Kafka.Library).Assembly;
        foreach (var name in ConfluentImportNames)
        {
            if (NativeLibrary.TryLoad(name, confluentAssembly, null, out var handle)
                && NativeLibrary.TryGetExport(handle, "rd_kafka_version", out _))
            {
                return (handle, name);
            }
        }

        throw new InvalidOperationException("Could not locate the librdkafka native library that Confluent.Kafka loaded.");
    }

    /// <summary>The single librdkafka file mapped into this process, from /proc/self/maps.</summary>
    internal static string? FindMappedLibrary()
    {
        var candidates = MappedLibrdkafkaFiles();
        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => throw new InvalidOperationException(
                $"Several librdkafka copies are loaded in this process ({string.Join(", ", candidates)}); a mock cluster would not be shared with Confluent.Kafka's clients."),
        };
    }

    /// <summary>Distinct librdkafka shared objects currently mapped into this process (Linux only).</summary>
    internal static IReadOnlyList<string> MappedLibrdkafkaFiles()
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..].Trim();
            if (Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal) && path.Contains(".so", StringComparison.Ordinal))
            {
                files.Add(path);
            }
        }

        return [.. files];
    }
}
