namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// A database the lander writes to. <see cref="WriteAsync"/> lands one batch in one transaction: every event into
/// its history (entity topics) or event table, unique on <c>__event_id</c> so replays add nothing; entity topics'
/// current-state tables upserted by key and deleted on <c>d</c>/tombstone, never letting an older event
/// (<c>__captured_at</c>) overwrite a newer one; dead letters recorded. Tables and columns follow the records' schemas.
/// </summary>
public interface IWarehouse : IAsyncDisposable
{
    Task OpenAsync(CancellationToken cancellationToken);

    Task WriteAsync(IReadOnlyList<LandedRecord> records, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken);

    /// <summary>
    /// True when the database rejected the data (a bad value, a violated constraint) rather than being unreachable:
    /// only then may records be dead-lettered; an outage must stop the lander with its offsets uncommitted.
    /// </summary>
    bool IsDataRejection(Exception exception);
}
