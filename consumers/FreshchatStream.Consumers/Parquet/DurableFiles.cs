using System.Runtime.InteropServices;

namespace FreshchatStream.Consumers.Parquet;

/// <summary>
/// The file-system steps that make a written file survive a crash or power loss before the lander commits its
/// offsets: fsync the file, rename it into place (atomic on POSIX), fsync the directory so the rename itself is
/// durable. A reader sees the old name, or the whole new file — never part of one.
/// </summary>
internal static class DurableFiles
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux

    /// <summary>Creates <paramref name="folder"/> and any missing parents, fsyncing each parent so the new entries last.</summary>
    public static void EnsureFolder(string folder)
    {
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder))
        {
            return;
        }

        var parent = Path.GetDirectoryName(folder);
        if (parent is not null)
        {
            EnsureFolder(parent);
        }

        Directory.CreateDirectory(folder);
        if (parent is not null)
        {
            SyncFolder(parent);
        }
    }

    /// <summary>Makes the finished temporary file durable and renames it over <paramref name="finalPath"/>.</summary>
    public static void Publish(string tempPath, string finalPath) => PublishAll([(tempPath, finalPath)]);

    /// <summary>
    /// Publishes several finished files: each fsynced and renamed, then each folder involved fsynced once (a batch's
    /// files usually share one day folder) — all durable when this returns.
    /// </summary>
    public static void PublishAll(IReadOnlyCollection<(string Temp, string Final)> files)
    {
        foreach (var (temp, final) in files)
        {
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final, overwrite: true);
        }

        foreach (var folder in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f.Final))!).Distinct(StringComparer.Ordinal))
        {
            SyncFolder(folder);
        }
    }

    /// <summary>Removes files (already superseded by a durable file) and makes the removal durable.</summary>
    public static void Remove(IReadOnlyCollection<string> paths)
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }

        foreach (var folder in paths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!).Distinct(StringComparer.Ordinal))
        {
            SyncFolder(folder);
        }
    }

    /// <summary>fsync(2) on a directory: .NET opens no directory handles, so through libc.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // other systems: the rename's durability is left to the file system (documented in docs/destinations.md)
        }

        var descriptor = Open(folder, ReadOnly | DirectoryOnly);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {folder} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync of {folder} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
