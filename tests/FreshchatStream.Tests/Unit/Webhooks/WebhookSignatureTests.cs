using System.Security.Cryptography;
using System.Text;
using FreshchatStream.Producer.Webhooks;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Webhooks;

/// <summary>
/// <c>X-Freshchat-Signature</c> against a known-good sample: a body signed with <c>openssl dgst -sha256 -sign</c>
/// and its public key in Freshchat's armor (<c>RSA PUBLIC KEY</c> around a SubjectPublicKeyInfo).
/// </summary>
public sealed class WebhookSignatureTests
{
    private static readonly string Pem = File.ReadAllText(Sample("freshchat-public-key.pem"));
    private static readonly byte[] Body = File.ReadAllBytes(Sample("message_create.json"));
    private static readonly string Good = File.ReadAllText(Sample("message_create.sig")).Trim();

    [Fact]
    public void Verify_KnownGoodSample_Accepts()
    {
        using var signature = WebhookSignature.Create(Pem);

        Assert.True(signature.Verify(Body, Good));
    }

    [Fact]
    public void Create_PemOnOneLineWithSpaces_AcceptsTheSameKey()
    {
        using var signature = WebhookSignature.Create(string.Join(' ', Pem.Split('\n', StringSplitOptions.RemoveEmptyEntries)));

        Assert.True(signature.Verify(Body, Good));
    }

    [Fact]
    public void Verify_TamperedBody_Refuses()
    {
        using var signature = WebhookSignature.Create(Pem);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("Hello", "Hellp", StringComparison.Ordinal));
        var reformatted = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace(",", ", ", StringComparison.Ordinal));

        Assert.False(signature.Verify(tampered, Good));
        Assert.False(signature.Verify(reformatted, Good)); // same JSON, other bytes: the raw body is what is signed
        Assert.False(signature.Verify(Body.AsSpan(0, Body.Length - 1), Good));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    public void Verify_MissingOrMalformedHeader_Refuses(string? header)
    {
        using var signature = WebhookSignature.Create(Pem);

        Assert.False(signature.Verify(Body, header));
    }

    [Fact]
    public void Verify_SignatureOfAnotherKey_Refuses()
    {
        using var other = RSA.Create(2048);
        var forged = Convert.ToBase64String(other.SignData(Body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var signature = WebhookSignature.Create(Pem);

        Assert.False(signature.Verify(Body, forged));
    }

    [Fact]
    public void Verify_TamperedSignature_Refuses()
    {
        var bytes = Convert.FromBase64String(Good);
        bytes[10] ^= 0x01;
        using var signature = WebhookSignature.Create(Pem);

        Assert.False(signature.Verify(Body, Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Create_Pkcs1Body_IsAcceptedToo()
    {
        using var rsa = RSA.Create(2048);
        var pem = $"-----BEGIN RSA PUBLIC KEY-----\n{Convert.ToBase64String(rsa.ExportRSAPublicKey())}\n-----END RSA PUBLIC KEY-----";
        var signed = Convert.ToBase64String(rsa.SignData(Body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var signature = WebhookSignature.Create(pem);

        Assert.True(signature.Verify(Body, signed));
    }

    [Theory]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\n!!!\n-----END RSA PUBLIC KEY-----", "not base64")]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----", "neither")]
    public void TryCreate_UnusableKey_SaysWhy(string pem, string expected)
    {
        Assert.False(WebhookSignature.TryCreate(pem, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    internal static string Sample(string name) => RepositoryRoot.Combine("tests", "FreshchatStream.Tests", "Unit", "Webhooks", "Samples", name);
}
