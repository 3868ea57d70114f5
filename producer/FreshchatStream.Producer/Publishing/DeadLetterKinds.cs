namespace FreshchatStream.Producer.Publishing;

/// <summary>Why a record went to <c>{prefix}.dlq</c> (header <c>dlq_kind</c>, and the <c>kind</c> tag of the dead-letter metric).</summary>
public static class DeadLetterKinds
{
    /// <summary>A listing item that is not a JSON object.</summary>
    public const string NotAnObject = "not_object";

    /// <summary>A listing item without its id.</summary>
    public const string MissingId = "missing_id";

    /// <summary>An entity whose fields do not convert to its Avro schema.</summary>
    public const string Unconvertible = "unconvertible";

    /// <summary>A record over the producer's <c>message.max.bytes</c>.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The kind of a listing reject from its reason text.</summary>
    public static string OfRejectReason(string reason) =>
        reason.StartsWith("not a JSON object", StringComparison.Ordinal) ? NotAnObject : MissingId;
}
