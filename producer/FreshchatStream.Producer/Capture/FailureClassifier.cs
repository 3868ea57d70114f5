using Confluent.Kafka;
using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Sorts capture failures the way Debezium's <c>ErrorHandler</c> does: transient ones (throttling and outages
/// that outlasted the retries, Redis or Kafka unavailable) end the resource's pass and the next cycle retries,
/// acknowledging nothing; fatal ones (credentials, a wrong URL, a fatal producer error, a rejected schema)
/// stop the process with the exit code of design §4 and one line telling the user what to check.
/// </summary>
public static class FailureClassifier
{
    public static CaptureFailure Classify(Exception exception) => exception switch
    {
        FreshchatAuthenticationException e => CaptureFailure.Fatal(ExitCodes.Upstream, e.Message),
        // Per endpoint (token scopes): the resource is skipped, not the process; CaptureCycle handles it before this.
        FreshchatForbiddenException e => CaptureFailure.Failed($"Freshchat: {e.Message}"),
        FreshchatConfigurationException e => CaptureFailure.Fatal(ExitCodes.Configuration, e.Message),
        FreshchatException { IsTransient: true } e => CaptureFailure.Transient($"Freshchat: {e.Message}"),
        FreshchatException e => CaptureFailure.Failed($"Freshchat: {e.Message}"),
        CursorStoreUnavailableException e => CaptureFailure.Transient($"Redis: {e.Message} Capture resumes when Redis answers (check Redis:Configuration)."),
        DeliveryIncompleteException { IsFatal: true } e => CaptureFailure.Fatal(ExitCodes.Failure, $"Kafka: {e.Message}"),
        // A reason that already names the key to check (a start failure) keeps it; a delivery failure points at Kafka.
        DeliveryIncompleteException e => CaptureFailure.Transient(
            $"Publishing: {e.Message}" + (e.Message.Contains("check ", StringComparison.Ordinal) ? "" : " (check Kafka:BootstrapServers)")),
        KafkaException { Error.IsFatal: true } e => CaptureFailure.Fatal(ExitCodes.Failure, $"Kafka: fatal producer error {e.Error.Code}: {e.Error.Reason}"),
        KafkaException e => CaptureFailure.Transient($"Kafka: {e.Error.Code}: {e.Error.Reason}"),
        // The start-up registration of the shipped schemas (its message names the subject and the schema file): an
        // incompatible subject stops the process instead of failing every batch until someone reads the log.
        SchemaRegistrationException { Status: System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.UnprocessableEntity } e =>
            CaptureFailure.Fatal(ExitCodes.Failure, e.Message),
        SchemaRegistrationException { Status: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden }
            or SchemaRegistryException { Status: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } =>
            CaptureFailure.Fatal(ExitCodes.Upstream, "Schema Registry refused the credentials: check SchemaRegistry:BasicAuthUserInfo and SchemaRegistry:Url."),
        SchemaRegistryException { Status: System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.UnprocessableEntity } e =>
            CaptureFailure.Fatal(ExitCodes.Failure, $"Schema Registry rejected a schema: {e.Message}"),
        SchemaRegistryException e => CaptureFailure.Transient($"Schema Registry: {e.Message}"),
        // Anything else the registry answered (a 5xx, a proxy's error page) while registering: an outage, retried.
        SchemaRegistrationException e => CaptureFailure.Transient(
            $"Schema Registry answered HTTP {(int)e.Status} registering {e.Subject}: {e.InnerException?.Message} (check SchemaRegistry:Url)"),
        HttpRequestException e => CaptureFailure.Transient(e.Message),
        TimeoutException e => CaptureFailure.Transient(e.Message),
        OptionsValidationException e => CaptureFailure.Fatal(ExitCodes.Configuration, e.Message),
        // A shipped schema the writer cannot encode: nothing can be published until the schema (a release) changes.
        SchemaPlanException e => CaptureFailure.Fatal(ExitCodes.Failure, e.Message),
        _ => CaptureFailure.Failed($"{exception.GetType().Name}: {exception.Message}", unexpected: true),
    };
}

/// <summary>How a failure is handled: retried next cycle, recorded as a failure, or fatal with an exit code.</summary>
public sealed record CaptureFailure(CaptureFailureKind Kind, int ExitCode, string Message, bool Unexpected = false)
{
    public bool IsFatal => Kind == CaptureFailureKind.Fatal;

    public static CaptureFailure Transient(string message) => new(CaptureFailureKind.Transient, ExitCodes.Failure, message);

    public static CaptureFailure Failed(string message, bool unexpected = false) => new(CaptureFailureKind.Failed, ExitCodes.Failure, message, unexpected);

    public static CaptureFailure Fatal(int exitCode, string message) => new(CaptureFailureKind.Fatal, exitCode, message);
}

public enum CaptureFailureKind
{
    /// <summary>Likely to pass on its own (throttling, an outage): retried next cycle.</summary>
    Transient,

    /// <summary>Not expected to pass on its own but not a reason to stop other resources (a rejected request, a bug).</summary>
    Failed,

    /// <summary>Nothing will work until a person acts: the process stops with an exit code.</summary>
    Fatal,
}

/// <summary>A fatal failure carried out of the capture loop to the command that reports it and exits.</summary>
public sealed class CaptureFatalException(CaptureFailure failure, Exception? inner = null) : Exception(failure.Message, inner)
{
    public CaptureFailure Failure { get; } = failure;
}
