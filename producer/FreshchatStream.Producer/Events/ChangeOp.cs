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

/// <summary>Wire codes of <see cref="ChangeOp"/> (<c>__op</c>) and their CloudEvents verbs.</summary>
public static class ChangeOpCodes
{
    public static string Code(this ChangeOp op) => op switch
    {
        ChangeOp.Create => "c",
        ChangeOp.Update => "u",
        ChangeOp.Snapshot => "r",
        ChangeOp.Delete => "d",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static string CloudEventVerb(this ChangeOp op) => op switch
    {
        ChangeOp.Create => "created",
        ChangeOp.Update => "updated",
        ChangeOp.Snapshot => "snapshot",
        ChangeOp.Delete => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
