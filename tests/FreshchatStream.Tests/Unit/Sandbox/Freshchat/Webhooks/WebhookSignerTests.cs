using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FreshchatStream.Producer.Webhooks;
using FreshchatStream.Sandbox.Freshchat.Webhooks;

namespace FreshchatStream.Tests.Unit.Sandbox.Freshchat.Webhooks;

[Trait("Issue", "#10")]
public sealed class WebhookSignerTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"actor":{"actor_type":"user","actor_id":"u-1"},"action":"message_create","data":{"message":{"text":"Zoë 🙏"}}}""");

    [Fact]
    public void Sign_Body_VerifiesWithSubjectPublicKeyInfoFromThePem()
    {
        using var signer = new WebhookSigner();

        var signature = signer.Sign(Body);

        using var rsa = ImportPem(signer.PublicKeyPem);
        Assert.True(rsa.VerifyData(Body, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Sign_TamperedBody_FailsVerification()
    {
        using var signer = new WebhookSigner();
        var signature = Convert.FromBase64String(signer.Sign(Body));
        var tampered = (byte[])Body.Clone();
        tampered[^3] ^= 0x01;

        using var rsa = ImportPem(signer.PublicKeyPem);
        Assert.False(rsa.VerifyData(tampered, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void PublicKeyPem_RsaArmorAroundSpki_In64CharacterLines()
    {
        using var signer = new WebhookSigner();

        var lines = signer.PublicKeyPem.TrimEnd('\n').Split('\n');

        Assert.Equal("-----BEGIN RSA PUBLIC KEY-----", lines[0]);
        Assert.Equal("-----END RSA PUBLIC KEY-----", lines[^1]);
        Assert.All(lines[1..^2], line => Assert.Equal(64, line.Length));
        Assert.InRange(lines[^2].Length, 1, 64);
        Assert.StartsWith("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A", lines[1], StringComparison.Ordinal); // SPKI of a 2048-bit RSA key
        using var rsa = ImportPem(signer.PublicKeyPem);
        Assert.Equal(2048, rsa.KeySize);
    }

    [Fact]
    public void PublicKeyOneLine_IsThePemWithSpacesInsteadOfNewlines()
    {
        using var signer = new WebhookSigner();

        Assert.DoesNotContain('\n', signer.PublicKeyOneLine);
        Assert.Equal($"-----BEGIN RSA PUBLIC KEY----- {signer.PublicKeyBase64} -----END RSA PUBLIC KEY-----", signer.PublicKeyOneLine);
        Assert.Equal(Regex.Replace(signer.PublicKeyPem, @"\s", ""), Regex.Replace(signer.PublicKeyOneLine, @"\s", ""));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sign_ProducersWebhookSignature_VerifiesWithEitherKeyForm(bool oneLine)
    {
        using var signer = new WebhookSigner();
        var signature = signer.Sign(Body);

        using var verifier = WebhookSignature.Create(oneLine ? signer.PublicKeyOneLine : signer.PublicKeyPem);

        Assert.True(verifier.Verify(Body, signature));
        Assert.False(verifier.Verify([.. Body, (byte)' '], signature));
    }

    [Fact]
    public void TwoSigners_HaveDifferentKeys()
    {
        using var first = new WebhookSigner();
        using var second = new WebhookSigner();

        Assert.NotEqual(first.PublicKeyBase64, second.PublicKeyBase64);
    }

    private static RSA ImportPem(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Regex.Replace(pem, @"-----(BEGIN|END) RSA PUBLIC KEY-----|\s", "")), out _);
        return rsa;
    }
}
