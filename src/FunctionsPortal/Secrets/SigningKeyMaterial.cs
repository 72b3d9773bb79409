using System.Security.Cryptography;
using System.Text;

namespace FunctionsPortal.Secrets;

/// <summary>How a secret string becomes an HMAC key: SHA-256 of its UTF-8 bytes, so any value gives exactly 256 bits.</summary>
internal static class SigningKeyMaterial
{
    public static SigningKey FromSecret(string version, string secretValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(secretValue);
        return new SigningKey(version, SHA256.HashData(Encoding.UTF8.GetBytes(secretValue)));
    }
}
