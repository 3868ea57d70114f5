using FreshchatStream.Tests.Integration.Capture;

namespace FreshchatStream.Tests.Integration.Consumers;

/// <summary>
/// The DuckDB lander tests' own capture stack (mock Kafka, Schema Registry emulator, Redis). A stack of their own
/// lets them run beside the capture tests and the PostgreSQL lander tests instead of queueing behind them: most of
/// their time is consumer-group rebalance waits on the mock cluster, which parallel collections overlap.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DuckDbLanderStackCollection : ICollectionFixture<CaptureStackFixture>
{
    public const string Name = "lander stack: DuckDB";
}

/// <summary>The PostgreSQL lander tests' own capture stack, for the same reason as <see cref="DuckDbLanderStackCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresLanderStackCollection : ICollectionFixture<CaptureStackFixture>
{
    public const string Name = "lander stack: PostgreSQL";
}

/// <summary>The Parquet lander tests' own capture stack, for the same reason as <see cref="DuckDbLanderStackCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ParquetLanderStackCollection : ICollectionFixture<CaptureStackFixture>
{
    public const string Name = "lander stack: Parquet";
}
