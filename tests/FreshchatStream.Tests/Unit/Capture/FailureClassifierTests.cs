using System.Net;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Tests.Unit.Capture;

public sealed class FailureClassifierTests
{
    [Fact]
    public void Classify_AuthenticationError_IsFatalUpstream()
    {
        var failure = FailureClassifier.Classify(new FreshchatAuthenticationException("Freshchat refused the API key (401): check Freshchat:ApiKey.", "GET /v2/users", 401));

        Assert.Equal((CaptureFailureKind.Fatal, ExitCodes.Upstream), (failure.Kind, failure.ExitCode));
    }

    [Fact]
    public void Classify_HtmlInsteadOfJson_IsFatalConfiguration()
    {
        var failure = FailureClassifier.Classify(new FreshchatConfigurationException("check Freshchat:BaseUrl", "GET /v2/users", 200));

        Assert.Equal((CaptureFailureKind.Fatal, ExitCodes.Configuration), (failure.Kind, failure.ExitCode));
    }

    [Fact]
    public void Classify_OutagesThatOutlastRetries_AreTransient()
    {
        Assert.Equal(CaptureFailureKind.Transient, FailureClassifier.Classify(new FreshchatUnavailableException("429 after retries", "GET /v2/users", 429)).Kind);
        Assert.Equal(CaptureFailureKind.Transient, FailureClassifier.Classify(new CursorStoreUnavailableException("Redis is down")).Kind);
        Assert.Equal(CaptureFailureKind.Transient, FailureClassifier.Classify(new KafkaException(ErrorCode.Local_Transport)).Kind);
        var undelivered = new DeliveryIncompleteException(new DeliveryOutcome(2, 1, 0, 0, 0, [new DeliveryFailure("t", "k", "Local_MsgTimedOut")]));
        Assert.Equal(CaptureFailureKind.Transient, FailureClassifier.Classify(undelivered).Kind);
    }

    [Fact]
    public void Classify_FatalProducerError_IsFatal()
    {
        var fatal = new DeliveryIncompleteException(new DeliveryOutcome(1, 0, 0, 0, 0, [new DeliveryFailure("t", "k", "fenced", IsFatal: true)]));

        Assert.True(FailureClassifier.Classify(fatal).IsFatal);
    }

    [Fact]
    public void Classify_Unexpected_IsFailedNotFatal()
    {
        var failure = FailureClassifier.Classify(new InvalidOperationException("bug"));

        Assert.Equal(CaptureFailureKind.Failed, failure.Kind);
        Assert.True(failure.Unexpected);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, CaptureFailureKind.Fatal, ExitCodes.Failure)]
    [InlineData(HttpStatusCode.UnprocessableEntity, CaptureFailureKind.Fatal, ExitCodes.Failure)]
    [InlineData(HttpStatusCode.Unauthorized, CaptureFailureKind.Fatal, ExitCodes.Upstream)]
    [InlineData(HttpStatusCode.Forbidden, CaptureFailureKind.Fatal, ExitCodes.Upstream)]
    [InlineData(HttpStatusCode.ServiceUnavailable, CaptureFailureKind.Transient, ExitCodes.Failure)]
    public void Classify_StartUpSchemaRegistration_RefusedSchemaOrCredentialsAreFatal_AnOutageIsTransient(HttpStatusCode status, CaptureFailureKind kind, int exitCode)
    {
        var registration = new SchemaRegistrationException("t-value", "freshchat.role.avsc", status, "refused",
            new Confluent.SchemaRegistry.SchemaRegistryException("refused", status, (int)status));

        var failure = FailureClassifier.Classify(registration);

        Assert.Equal((kind, exitCode), (failure.Kind, failure.ExitCode));
        Assert.False(failure.Unexpected);
        if (status == HttpStatusCode.Conflict)
        {
            Assert.Contains("t-value", failure.Message);
        }

        if (kind == CaptureFailureKind.Transient)
        {
            // An outage, not a refusal: no advice about compatible schema changes.
            Assert.Contains("HTTP 503 registering t-value", failure.Message);
            Assert.DoesNotContain("backward-compatible", failure.Message);
        }
    }
}
