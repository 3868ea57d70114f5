namespace FreshchatStream.Producer.Events;

/// <summary>The kind of change an event reports, as in Debezium's <c>op</c> field.</summary>
public enum ChangeOp
{
    /// <summary><c>c</c>: the entity was seen for the first time.</summary>
    Create,

    /// <summary><c>u</c>: the entity changed since it was last published.</summary>
    Update,

    /// <summary><c>r</c>: the entity was re-emitted by a snapshot.</summary>
    Snapshot,

    /// <summary><c>d</c>: the entity is gone (confirmed by a 404).</summary>
    Delete,
}
