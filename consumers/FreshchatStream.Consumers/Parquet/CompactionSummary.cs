namespace FreshchatStream.Consumers.Parquet;

/// <summary>What one <c>compact</c> run did.</summary>
public sealed class CompactionSummary
{
    public int DaysCompacted { get; set; }

    public int FilesReplaced { get; set; }

    public int CurrentTables { get; set; }
}
